package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/**
 * The sixteen-block vectorized path of {@link Salsa20Stream} ({@link Salsa20Core#roundsLanes}, taken for
 * {@link Salsa20Stream#BATCH_MIN} or more outstanding bytes) against BouncyCastle's {@code Salsa20Engine} and
 * {@code XSalsa20Engine} and against the stream's own one-block path, for arbitrary keys, nonces, lengths and
 * starting counters, including counters whose low word carries into the high one inside a batch. Every case is
 * built from one generated {@code long}, printed on failure.
 */
class Salsa20BatchTest {

    /** A starting block counter: near the 2^32 carry, near the 2^64 wrap, small, or arbitrary. */
    static long counter(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> (1L << 32) - 1 - r.nextInt(40);
            case 1 -> -1L - r.nextInt(40);
            case 2 -> r.nextInt(100);
            default -> r.nextLong();
        };
    }

    @Test
    void batchesEqualBouncyCastleFromAnyReachableCounter() {
        qt().withExamples(150).forAll(longs().all(), integers().between(0, 3000)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] key = CryptoPropertiesTest.bytes(r, 32);
            byte[] nonce = CryptoPropertiesTest.bytes(r, 8);
            // BouncyCastle seeks by byte position (a long), so counters below 2^57 only.
            long start = r.nextBoolean() ? (1L << 32) - 1 - r.nextInt(40) : r.nextLong(1L << 50);
            byte[] msg = CryptoPropertiesTest.bytes(r, len);
            Salsa20Engine bc = new Salsa20Engine();
            bc.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            bc.seekTo(start * 64);
            byte[] want = new byte[len];
            bc.processBytes(msg, 0, len, want, 0);
            Salsa20Stream s = new Salsa20Stream();
            s.start(key, 0, nonce, 0, start);
            byte[] got = new byte[len];
            s.xor(msg, 0, len, got, 0);
            assertArrayEquals(want, got, "seed " + seed + ", length " + len + ", counter " + start);
        });
    }

    @Test
    void batchesEqualTheOneBlockPathWhateverTheCutsAndCounter() {
        qt().withExamples(150).forAll(longs().all(), integers().between(0, 3000)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] key = CryptoPropertiesTest.bytes(r, 32);
            byte[] nonce = CryptoPropertiesTest.bytes(r, 8);
            long start = counter(r);
            int inOff = r.nextInt(9);
            int outOff = r.nextInt(9);
            byte[] msg = CryptoPropertiesTest.bytes(r, inOff + len);
            // One-block path only: every call asks for less than a batch.
            Salsa20Stream single = new Salsa20Stream();
            single.start(key, 0, nonce, 0, start);
            byte[] want = new byte[len];
            for (int done = 0; done < len; ) {
                int n = Math.min(len - done, 1 + r.nextInt(Salsa20Stream.BATCH_MIN - 1));
                single.xor(msg, inOff + done, n, want, done);
                done += n;
            }
            // Cut anywhere, with cuts large enough to batch.
            Salsa20Stream batched = new Salsa20Stream();
            batched.start(key, 0, nonce, 0, start);
            byte[] got = new byte[outOff + len];
            for (int done = 0; done < len; ) {
                int n = Math.min(len - done, r.nextInt(3) == 0 ? r.nextInt(100) : r.nextInt(2500));
                batched.xor(msg, inOff + done, n, got, outOff + done);
                done += n;
            }
            assertArrayEquals(want, java.util.Arrays.copyOfRange(got, outOff, outOff + len),
                    "seed " + seed + ", length " + len + ", counter " + start);
        });
    }

    @Test
    void xsalsa20KeystreamEqualsBouncyCastlesXSalsa20Engine() {
        qt().withExamples(150).forAll(longs().all(), integers().between(0, 3000)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] key = CryptoPropertiesTest.bytes(r, 32);
            byte[] nonce = CryptoPropertiesTest.bytes(r, 24);
            byte[] msg = CryptoPropertiesTest.bytes(r, len);
            XSalsa20Engine bc = new XSalsa20Engine();
            bc.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            byte[] want = new byte[len];
            bc.processBytes(msg, 0, len, want, 0);
            byte[] subkey = new byte[32];
            HSalsa20.hsalsa20(key, 0, nonce, 0, subkey, 0);
            Salsa20Stream s = new Salsa20Stream();
            s.start(subkey, 0, nonce, 16);
            byte[] got = msg.clone();
            s.xor(got, 0, len, got, 0); // in place
            assertArrayEquals(want, got, "seed " + seed + ", length " + len);
        });
    }
}
