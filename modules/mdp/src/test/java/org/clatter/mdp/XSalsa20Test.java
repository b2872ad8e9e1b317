package org.clatter.mdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.clatter.mdp.internal.crypto.XSalsa20;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;

/** Our raw XSalsa20 against the crypto provider: secretbox ciphertext of zeros is the keystream from byte 32. */
class XSalsa20Test {
    private final Crypto crypto = TestCrypto.get();

    @Test
    void keystreamMatchesTheProvidersSecretbox() {
        qt().forAll(longs().all(), integers().between(0, 300)).checkAssert((seed, len) -> {
            Random r = new Random(seed);
            byte[] key = new byte[32];
            byte[] nonce = new byte[24];
            r.nextBytes(key);
            r.nextBytes(nonce);
            byte[] stream = new byte[32 + len];
            XSalsa20.xor(key, nonce, stream, 0, stream.length);
            byte[] box = new byte[16 + len];
            crypto.secretBox(key, 0, nonce, 0, new byte[len], 0, len, box, 0);
            assertArrayEquals(Arrays.copyOfRange(box, 16, 16 + len), Arrays.copyOfRange(stream, 32, 32 + len),
                    "seed " + seed);
            byte[] h1 = new byte[32];
            byte[] h2 = new byte[32];
            XSalsa20.hsalsa20(key, nonce, 0, h1, 0);
            crypto.hsalsa20(key, 0, nonce, 0, h2, 0);
            assertArrayEquals(h2, h1, "seed " + seed);
        });
    }
}
