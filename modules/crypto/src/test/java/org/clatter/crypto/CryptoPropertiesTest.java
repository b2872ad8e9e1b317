package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.junit.jupiter.api.Test;

/**
 * Round trips and tamper resistance for random keys, nonces and lengths. Every case is built from one
 * generated {@code long}; QuickTheories prints the falsifying value (and its own seed), so a failure replays.
 */
class CryptoPropertiesTest {
    private static final int EXAMPLES = 150;
    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());
    /** A second instance without the shared-key cache, so that caching is checked against computing. */
    private final Crypto uncached = new BouncyCastleCryptoProvider()
            .create(Config.of(BouncyCastleCryptoProvider.BOX_KEY_CACHE, "0"));

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void boxOpensWhatItSealed() {
        qt().withExamples(EXAMPLES).forAll(longs().all(), integers().between(0, 2000)).checkAssert((seed, len) -> {
            var r = new SplittableRandom(seed);
            byte[] aSk = bytes(r, 32);
            byte[] bSk = bytes(r, 32);
            byte[] aPk = new byte[32];
            byte[] bPk = new byte[32];
            crypto.x25519PublicKey(aSk, 0, aPk, 0);
            crypto.x25519PublicKey(bSk, 0, bPk, 0);
            byte[] nonce = bytes(r, 24);
            byte[] msg = bytes(r, len);
            byte[] box = new byte[len + 16];
            assertTrue(crypto.box(bPk, 0, aSk, 0, nonce, 0, msg, 0, len, box, 0));
            byte[] again = new byte[len + 16];
            assertTrue(uncached.box(bPk, 0, aSk, 0, nonce, 0, msg, 0, len, again, 0));
            assertArrayEquals(box, again, "cached and uncached shared keys agree");
            byte[] plain = new byte[len];
            assertTrue(crypto.boxOpen(aPk, 0, bSk, 0, nonce, 0, box, 0, box.length, plain, 0));
            assertArrayEquals(msg, plain);
        });
    }

    @Test
    void aSmallKeyCacheCyclingThroughManyPeersNeverServesAStaleKey() {
        Crypto tiny = new BouncyCastleCryptoProvider().create(Config.of(BouncyCastleCryptoProvider.BOX_KEY_CACHE, "2"));
        qt().withExamples(30).forAll(longs().all()).checkAssert(seed -> {
            var r = new SplittableRandom(seed);
            byte[][] secrets = new byte[3][];
            byte[][] peers = new byte[4][];
            for (int i = 0; i < secrets.length; i++) {
                secrets[i] = bytes(r, 32);
            }
            for (int i = 0; i < peers.length; i++) {
                byte[] sk = bytes(r, 32);
                peers[i] = new byte[32];
                tiny.x25519PublicKey(sk, 0, peers[i], 0);
            }
            byte[] fromTiny = new byte[32];
            byte[] fromUncached = new byte[32];
            for (int step = 0; step < 12; step++) {
                byte[] pk = peers[r.nextInt(peers.length)];
                byte[] sk = secrets[r.nextInt(secrets.length)];
                assertTrue(tiny.boxBeforeNm(pk, 0, sk, 0, fromTiny, 0));
                assertTrue(uncached.boxBeforeNm(pk, 0, sk, 0, fromUncached, 0));
                assertArrayEquals(fromUncached, fromTiny, "step " + step);
            }
        });
    }

    @Test
    void secretBoxOpensWhatItSealed() {
        qt().withExamples(EXAMPLES).forAll(longs().all(), integers().between(0, 2000)).checkAssert((seed, len) -> {
            var r = new SplittableRandom(seed);
            byte[] key = bytes(r, 32);
            byte[] nonce = bytes(r, 24);
            byte[] msg = bytes(r, len);
            byte[] box = new byte[len + 16];
            crypto.secretBox(key, 0, nonce, 0, msg, 0, len, box, 0);
            byte[] plain = new byte[len];
            assertTrue(crypto.secretBoxOpen(key, 0, nonce, 0, box, 0, box.length, plain, 0));
            assertArrayEquals(msg, plain);
        });
    }

    @Test
    void anyFlippedBitInABoxIsRefusedAndTheOutputIsUntouched() {
        qt().withExamples(EXAMPLES).forAll(longs().all(), integers().between(0, 2000)).checkAssert((seed, len) -> {
            var r = new SplittableRandom(seed);
            byte[] aSk = bytes(r, 32);
            byte[] bSk = bytes(r, 32);
            byte[] aPk = new byte[32];
            byte[] bPk = new byte[32];
            crypto.x25519PublicKey(aSk, 0, aPk, 0);
            crypto.x25519PublicKey(bSk, 0, bPk, 0);
            byte[] nonce = bytes(r, 24);
            byte[] msg = bytes(r, len);
            byte[] box = new byte[len + 16];
            assertTrue(crypto.box(bPk, 0, aSk, 0, nonce, 0, msg, 0, len, box, 0));
            int bit = r.nextInt(box.length * 8);
            box[bit >>> 3] ^= (byte) (1 << (bit & 7));
            byte[] plain = bytes(r, len);
            byte[] before = plain.clone();
            assertFalse(crypto.boxOpen(aPk, 0, bSk, 0, nonce, 0, box, 0, box.length, plain, 0), "bit " + bit);
            assertArrayEquals(before, plain, "output untouched");

            byte[] key = bytes(r, 32);
            byte[] sbox = new byte[len + 16];
            crypto.secretBox(key, 0, nonce, 0, msg, 0, len, sbox, 0);
            sbox[bit >>> 3] ^= (byte) (1 << (bit & 7));
            assertFalse(crypto.secretBoxOpen(key, 0, nonce, 0, sbox, 0, sbox.length, plain, 0), "bit " + bit);
            assertArrayEquals(before, plain, "output untouched");
        });
    }

    @Test
    void arbitraryBoxesAreRefusedWithoutThrowingOrWriting() {
        qt().withExamples(300).forAll(longs().all(), integers().between(0, 300)).checkAssert((seed, len) -> {
            var r = new SplittableRandom(seed);
            byte[] junk = bytes(r, len);
            byte[] out = bytes(r, Math.max(0, len - 16) + 1);
            byte[] before = out.clone();
            assertFalse(crypto.secretBoxOpen(bytes(r, 32), 0, bytes(r, 24), 0, junk, 0, len, out, 1));
            assertFalse(crypto.boxOpen(bytes(r, 32), 0, bytes(r, 32), 0, bytes(r, 24), 0, junk, 0, len, out, 1));
            assertArrayEquals(before, out, "output untouched");
        });
    }

    @Test
    void tooShortBoxesAreRefused() {
        qt().withExamples(50).forAll(longs().all(), integers().between(0, 15)).checkAssert((seed, len) -> {
            var r = new SplittableRandom(seed);
            byte[] out = new byte[1];
            assertFalse(crypto.secretBoxOpen(bytes(r, 32), 0, bytes(r, 24), 0, bytes(r, len), 0, len, out, 0));
        });
    }

    @Test
    void signaturesVerifyAndFlippedBitsDoNot() {
        qt().withExamples(EXAMPLES).forAll(longs().all(), integers().between(0, 2000)).checkAssert((seed, len) -> {
            var r = new SplittableRandom(seed);
            byte[] sk = bytes(r, 32);
            byte[] pk = new byte[32];
            crypto.ed25519PublicKey(sk, 0, pk, 0);
            byte[] msg = bytes(r, len);
            byte[] sig = new byte[64];
            crypto.ed25519Sign(sk, 0, pk, 0, msg, 0, len, sig, 0);
            assertTrue(crypto.ed25519Verify(pk, 0, msg, 0, len, sig, 0));

            int sigBit = r.nextInt(512);
            byte[] badSig = sig.clone();
            badSig[sigBit >>> 3] ^= (byte) (1 << (sigBit & 7));
            assertFalse(crypto.ed25519Verify(pk, 0, msg, 0, len, badSig, 0), "signature bit " + sigBit);

            int pkBit = r.nextInt(256);
            byte[] badPk = pk.clone();
            badPk[pkBit >>> 3] ^= (byte) (1 << (pkBit & 7));
            assertFalse(crypto.ed25519Verify(badPk, 0, msg, 0, len, sig, 0), "key bit " + pkBit);

            if (len > 0) {
                int msgBit = r.nextInt(len * 8);
                byte[] badMsg = msg.clone();
                badMsg[msgBit >>> 3] ^= (byte) (1 << (msgBit & 7));
                assertFalse(crypto.ed25519Verify(pk, 0, badMsg, 0, len, sig, 0), "message bit " + msgBit);
            }
        });
    }

    @Test
    void verifyNeverThrowsOnArbitraryBytes() {
        qt().withExamples(500).forAll(longs().all(), integers().between(0, 300)).checkAssert((seed, len) -> {
            var r = new SplittableRandom(seed);
            byte[] pk = bytes(r, 32);
            byte[] sig = bytes(r, 64);
            if (r.nextBoolean()) {
                sig[63] &= 0x0f; // a canonical S, so verification gets past the scalar check
            }
            assertFalse(crypto.ed25519Verify(pk, 0, bytes(r, len), 0, len, sig, 0));
            byte[] out = new byte[32];
            crypto.ed25519PublicToX25519(pk, 0, out, 0); // either answer, but no exception
        });
    }

    @Test
    void seedConversionsAgree() {
        qt().withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
            var r = new SplittableRandom(seed);
            byte[] edSeed = bytes(r, 32);
            byte[] edPub = new byte[32];
            crypto.ed25519PublicKey(edSeed, 0, edPub, 0);
            byte[] viaPublic = new byte[32];
            assertTrue(crypto.ed25519PublicToX25519(edPub, 0, viaPublic, 0));
            byte[] xSecret = new byte[32];
            crypto.ed25519SeedToX25519Secret(edSeed, 0, xSecret, 0);
            byte[] viaSecret = new byte[32];
            crypto.x25519PublicKey(xSecret, 0, viaSecret, 0);
            assertArrayEquals(viaSecret, viaPublic);
        });
    }

    @Test
    void randomBytesFillExactlyTheRange() {
        qt().withExamples(50).forAll(integers().between(0, 1000), integers().between(0, 20)).checkAssert((len, off) -> {
            byte[] out = new byte[off + len + 20];
            crypto.randomBytes(out, off, len);
            for (int i = 0; i < off; i++) {
                assertTrue(out[i] == 0);
            }
            for (int i = off + len; i < out.length; i++) {
                assertTrue(out[i] == 0);
            }
            if (len >= 32) {
                assertFalse(Arrays.equals(new byte[len], 0, len, out, off, off + len), "not all zero");
            }
        });
    }
}
