package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.junit.jupiter.api.Test;

/**
 * The box's own Salsa20 stream ({@link Salsa20Stream}) against BouncyCastle's engines: the same keystream for random
 * keys, nonces and ways of cutting the message into calls, and secretbox output equal to one built from
 * BouncyCastle's XSalsa20 and Poly1305. Each case comes from one generated {@code long} (printed on failure).
 */
class BoxStreamPropertiesTest {
    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());

    @Test
    void sameKeystreamAsBouncyCastleWhateverTheCuts() {
        qt().withExamples(300).forAll(longs().all(), integers().between(0, 1500)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] key = CryptoPropertiesTest.bytes(r, 32);
            byte[] nonce = CryptoPropertiesTest.bytes(r, 8);
            byte[] msg = CryptoPropertiesTest.bytes(r, len);
            Salsa20Engine bc = new Salsa20Engine();
            bc.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            byte[] want = new byte[len];
            bc.processBytes(msg, 0, len, want, 0);
            Salsa20Stream s = new Salsa20Stream();
            s.start(key, 0, nonce, 0);
            byte[] got = new byte[len];
            int done = 0;
            while (done < len) {
                int n = Math.min(len - done, r.nextInt(4) == 0 ? r.nextInt(200) : r.nextInt(70));
                s.xor(msg, done, n, got, done);
                done += n;
            }
            assertArrayEquals(want, got, "seed " + seed + ", length " + len);
        });
    }

    @Test
    void secretBoxEqualsBouncyCastlesXSalsa20AndPoly1305() {
        qt().withExamples(200).forAll(longs().all(), integers().between(0, 3000)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] key = CryptoPropertiesTest.bytes(r, 32);
            byte[] nonce = CryptoPropertiesTest.bytes(r, 24);
            byte[] msg = CryptoPropertiesTest.bytes(r, len);
            XSalsa20Engine x = new XSalsa20Engine();
            x.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            byte[] stream = new byte[32 + len];
            x.processBytes(new byte[32 + len], 0, 32 + len, stream, 0);
            byte[] want = new byte[16 + len];
            for (int i = 0; i < len; i++) {
                want[16 + i] = (byte) (msg[i] ^ stream[32 + i]);
            }
            Poly1305 mac = new Poly1305();
            mac.init(new KeyParameter(java.util.Arrays.copyOf(stream, 32)));
            mac.update(want, 16, len);
            mac.doFinal(want, 0);
            byte[] got = new byte[16 + len];
            crypto.secretBox(key, 0, nonce, 0, msg, 0, len, got, 0);
            assertArrayEquals(want, got, "seed " + seed + ", length " + len);
        });
    }
}
