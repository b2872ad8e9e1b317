package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;

/**
 * The payload cipher against the crypto provider's own XSalsa20 (inside {@code secretBox}: its ciphertext of zeros
 * is the keystream from byte 32), on the first page and on later pages with their offset nonces.
 */
class PayloadCipherTest {
    private final Crypto crypto = RhizomeCrypto.create();

    static byte[] addBigEndian(byte[] nonce, long add) {
        byte[] n = nonce.clone();
        long carry = add;
        for (int i = 23; i >= 0 && carry != 0; i--) {
            long sum = (n[i] & 0xFF) + (carry & 0xFF);
            n[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
        return n;
    }

    @Test
    void keystreamMatchesTheProvidersXsalsa20OnEveryPage() {
        qt().withExamples(60).forAll(longs().all(), integers().between(0, 40), integers().between(1, 4000 - 32))
                .checkAssert((seed, page, len) -> {
                    Random r = new Random(seed);
                    byte[] key = new byte[32];
                    byte[] nonce = new byte[24];
                    r.nextBytes(key);
                    r.nextBytes(nonce);
                    byte[] box = new byte[len + 16];
                    crypto.secretBox(key, 0, addBigEndian(nonce, page * 4096L), 0, new byte[len], 0, len, box, 0);
                    byte[] expected = Arrays.copyOfRange(box, 16, box.length);
                    byte[] mine = new byte[len];
                    new PayloadCipher(key, nonce, page * 4096L + 32, crypto).apply(mine, 0, len);
                    assertArrayEquals(expected, mine, "seed " + seed + " page " + page);
                });
    }

    @Test
    void streamingAcrossPagesEqualsOneShotAndInverts() throws Exception {
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        Arrays.fill(nonce, (byte) 0xFF);
        byte[] plain = new byte[3 * 4096 + 123];
        new Random(5).nextBytes(plain);
        byte[] oneShot = plain.clone();
        new PayloadCipher(key, nonce, 0, crypto).apply(oneShot, 0, oneShot.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = new PayloadCipher(key, nonce, 0, crypto).encrypting(out)) {
            for (int off = 0; off < plain.length; off += 1000) {
                enc.write(plain, off, Math.min(1000, plain.length - off));
            }
        }
        assertArrayEquals(oneShot, out.toByteArray(), "chunked = one shot (carry through all 24 nonce bytes)");
        byte[] back = new PayloadCipher(key, nonce, 0, crypto).decrypting(new ByteArrayInputStream(out.toByteArray())).readAllBytes();
        assertArrayEquals(plain, back);
        byte[] tail = Arrays.copyOfRange(oneShot, 5000, oneShot.length);
        new PayloadCipher(key, nonce, 5000, crypto).apply(tail, 0, tail.length);
        assertArrayEquals(Arrays.copyOfRange(plain, 5000, plain.length), tail, "decrypting from a journal offset");
    }
}
