package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.crypto.CryptoException;
import org.clatter.spi.provider.Config;
import org.junit.jupiter.api.Test;

/**
 * The raw stream: HSalsa20 + {@code salsa20Xor} is XSalsa20, whose keystream from byte 32 is what
 * {@code crypto_secretbox} XORs with the message (checked against the box, itself checked against libsodium's
 * known answers); starting at block k equals skipping 64·k bytes; in-place use works.
 */
class Salsa20StreamTest {
    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());

    private byte[] xsalsa20(byte[] key, byte[] nonce, long block, byte[] data) {
        byte[] sub = new byte[32];
        crypto.hsalsa20(key, 0, nonce, 0, sub, 0);
        byte[] out = new byte[data.length];
        crypto.salsa20Xor(sub, 0, nonce, 16, block, data, 0, data.length, out, 0);
        return out;
    }

    @Test
    void xsalsa20KeystreamIsTheSecretboxKeystream() {
        qt().forAll(longs().all(), integers().between(0, 700)).checkAssert((seed, len) -> {
            Random r = new Random(seed);
            byte[] key = new byte[32];
            byte[] nonce = new byte[24];
            r.nextBytes(key);
            r.nextBytes(nonce);
            byte[] stream = xsalsa20(key, nonce, 0, new byte[32 + len]);
            byte[] box = new byte[16 + len];
            crypto.secretBox(key, 0, nonce, 0, new byte[len], 0, len, box, 0);
            assertArrayEquals(Arrays.copyOfRange(box, 16, 16 + len), Arrays.copyOfRange(stream, 32, 32 + len),
                    "seed " + seed);
        });
    }

    @Test
    void startingAtABlockEqualsSkippingItsBytes() {
        qt().forAll(longs().all(), integers().between(0, 40), integers().between(1, 300)).checkAssert((seed, k, len) -> {
            Random r = new Random(seed);
            byte[] key = new byte[32];
            byte[] nonce = new byte[24];
            r.nextBytes(key);
            r.nextBytes(nonce);
            byte[] whole = xsalsa20(key, nonce, 0, new byte[64 * k + len]);
            byte[] tail = xsalsa20(key, nonce, k, new byte[len]);
            assertArrayEquals(Arrays.copyOfRange(whole, 64 * k, 64 * k + len), tail, "seed " + seed);
        });
    }

    @Test
    void inPlaceXorTwiceGivesTheInputBack() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[8];
        Arrays.fill(key, (byte) 7);
        byte[] data = "attack at dawn, or whenever the mesh allows".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] copy = data.clone();
        crypto.salsa20Xor(key, 0, nonce, 0, 3, data, 0, data.length, data, 0);
        crypto.salsa20Xor(key, 0, nonce, 0, 3, data, 0, data.length, data, 0);
        assertArrayEquals(copy, data);
    }

    @Test
    void misuseIsAClearError() {
        assertThrows(CryptoException.class,
                () -> crypto.salsa20Xor(new byte[31], 0, new byte[8], 0, 0, new byte[1], 0, 1, new byte[1], 0));
        assertThrows(CryptoException.class,
                () -> crypto.salsa20Xor(new byte[32], 0, new byte[8], 0, -1, new byte[1], 0, 1, new byte[1], 0));
    }
}
