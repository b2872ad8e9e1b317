package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * {@link Poly1305x} against BouncyCastle's {@code Poly1305} and against the definition (a {@link BigInteger}
 * evaluation mod 2^130 − 5): arbitrary keys, lengths 0..3000 at arbitrary offsets, and the inputs that reach the
 * carries and the final reduction (all-0xFF keys and messages, r = 1 so that h lands in [p, 2^130)). Every case
 * is built from one generated {@code long}, printed on failure with the length so it replays.
 */
class Poly1305xTest {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

    static byte[] bcTag(byte[] key, byte[] msg, int off, int len) {
        Poly1305 bc = new Poly1305();
        bc.init(new KeyParameter(key));
        bc.update(msg, off, len);
        byte[] tag = new byte[16];
        bc.doFinal(tag, 0);
        return tag;
    }

    /** One instance for every case of a test, as the provider keeps one: its scratch words must not leak. */
    private final Poly1305x poly = new Poly1305x();

    byte[] ourTag(byte[] key, byte[] msg, int off, int len) {
        byte[] out = new byte[16 + 7];
        Arrays.fill(out, (byte) 0x5a);
        poly.mac(key, 0, msg, off, len, out, 7);
        for (int i = 0; i < 7; i++) {
            assertEquals(0x5a, out[i], "mac wrote before its output range");
        }
        return Arrays.copyOfRange(out, 7, 23);
    }

    /** The definition: h = sum of (block + 2^(8 * blockLength)) * r^k mod p, tag = (h + s) mod 2^128. */
    static byte[] definitionTag(byte[] key, byte[] msg, int off, int len) {
        BigInteger r = le(Arrays.copyOfRange(key, 0, 16))
                .and(new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16));
        BigInteger s = le(Arrays.copyOfRange(key, 16, 32));
        BigInteger h = BigInteger.ZERO;
        for (int i = 0; i < len; i += 16) {
            int n = Math.min(16, len - i);
            BigInteger m = le(Arrays.copyOfRange(msg, off + i, off + i + n)).setBit(8 * n);
            h = h.add(m).multiply(r).mod(P);
        }
        BigInteger t = h.add(s).mod(BigInteger.ONE.shiftLeft(128));
        byte[] be = t.toByteArray();
        byte[] tag = new byte[16];
        for (int i = 0; i < 16 && i < be.length; i++) {
            tag[i] = be[be.length - 1 - i];
        }
        return tag;
    }

    private static BigInteger le(byte[] b) {
        byte[] be = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            be[b.length - i] = b[i];
        }
        return new BigInteger(be);
    }

    /** A key of one of the shapes that reach the edge cases, chosen by the seed. */
    static byte[] key(SplittableRandom r) {
        byte[] key = CryptoPropertiesTest.bytes(r, 32);
        switch (r.nextInt(5)) {
            case 0 -> Arrays.fill(key, (byte) 0xff);                  // every r bit the clamp allows, s = 2^128 - 1
            case 1 -> {                                                // r = 1: h sums the blocks
                Arrays.fill(key, 0, 16, (byte) 0);
                key[0] = 1;
            }
            case 2 -> Arrays.fill(key, 0, 16, (byte) 0);               // r = 0: the tag is s
            default -> { }                                             // random, clamped bits included
        }
        return key;
    }

    static byte[] message(SplittableRandom r, int size) {
        byte[] msg = CryptoPropertiesTest.bytes(r, size);
        if (r.nextInt(3) == 0) {
            Arrays.fill(msg, (byte) 0xff);                             // maximal blocks: the final carries
        }
        return msg;
    }

    @Test
    void equalsBouncyCastleForArbitraryKeysLengthsAndOffsets() {
        qt().withExamples(400).forAll(longs().all(), integers().between(0, 3000)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] key = key(r);
            int off = r.nextInt(40);
            byte[] msg = message(r, off + len + r.nextInt(20));
            assertArrayEquals(bcTag(key, msg, off, len), ourTag(key, msg, off, len),
                    "seed " + seed + ", length " + len + ", offset " + off);
        });
    }

    @Test
    void equalsTheDefinitionOnBothPaths() {
        qt().withExamples(200).forAll(longs().all(), integers().between(0, 600)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] key = key(r);
            byte[] msg = message(r, len);
            assertArrayEquals(definitionTag(key, msg, 0, len), ourTag(key, msg, 0, len),
                    "seed " + seed + ", length " + len);
        });
    }

    @Test
    void accumulatorBetweenPAnd2To130IsReduced() {
        // r = 1 and two all-0xFF blocks: h = 2 (2^128 - 1) + 2 * 2^128 = 2^130 - 2, in [p, 2^130), so h mod p = 3.
        byte[] key = new byte[32];
        key[0] = 1;
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 16; i < 32; i++) {
            key[i] = (byte) r.nextInt(256);
        }
        byte[] msg = new byte[32];
        Arrays.fill(msg, (byte) 0xff);
        BigInteger s = le(Arrays.copyOfRange(key, 16, 32));
        BigInteger want = s.add(BigInteger.valueOf(3)).mod(BigInteger.ONE.shiftLeft(128));
        assertEquals(want, le(ourTag(key, msg, 0, 32)));
        assertArrayEquals(bcTag(key, msg, 0, 32), ourTag(key, msg, 0, 32));
        // Every length of all-0xFF blocks under r = 1 and under the largest r, against both references.
        for (int len = 0; len <= 3000; len += 1 + len / 64) {
            byte[] ones = new byte[len];
            Arrays.fill(ones, (byte) 0xff);
            byte[] big = new byte[32];
            Arrays.fill(big, (byte) 0xff);
            assertArrayEquals(bcTag(key, ones, 0, len), ourTag(key, ones, 0, len), "r = 1, length " + len);
            assertArrayEquals(bcTag(big, ones, 0, len), ourTag(big, ones, 0, len), "r maximal, length " + len);
            if (len <= 300) {
                assertArrayEquals(definitionTag(big, ones, 0, len), ourTag(big, ones, 0, len), "length " + len);
            }
        }
    }

    @Test
    void tagsDifferingInAnyBitAreUnequal() {
        qt().withExamples(200).forAll(longs().all(), integers().between(0, 127)).checkAssert((seed, bit) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] a = CryptoPropertiesTest.bytes(r, 20);
            byte[] b = new byte[24];
            System.arraycopy(a, 2, b, 5, 16);
            assertTrue(Poly1305x.tagsEqual(a, 2, b, 5), "seed " + seed);
            b[5 + bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Poly1305x.tagsEqual(a, 2, b, 5), "seed " + seed + ", bit " + bit);
        });
    }
}
