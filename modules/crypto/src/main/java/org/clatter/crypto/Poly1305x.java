package org.clatter.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 (RFC 8439, NaCl {@code crypto_onetimeauth}) on two 64-bit limbs and a small third one, for the
 * secretbox and box paths: one call computes a whole tag, on locals only (no state, no allocation).
 *
 * <p>The accumulator {@code h = h2·2^128 + h1·2^64 + h0} is multiplied by the clamped {@code r = r1·2^64 + r0}
 * with four 64×64→128-bit products ({@link Math#unsignedMultiplyHigh} and the low half, both C2 intrinsics) and
 * two small ones: the clamp makes {@code r1} a multiple of four, so {@code 2^128·r1 ≡ 5·r1/4 (mod 2^130 − 5)}
 * and the terms at 2^128 and above fold back with {@code s1 = r1 + r1/4}. After each block {@code h} is
 * partially reduced ({@code h2 ≤ 4}). Carries, the final reduction to {@code h mod p} and the tag comparison are
 * branch-free: no branch depends on the key or the message, only on the message length.
 */
final class Poly1305x {
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;

    private Poly1305x() {
    }

    /** Writes the 16-byte tag of {@code msg[off..off+len)} under the 32-byte one-time {@code key} to {@code out}. */
    static void mac(byte[] key, int keyOff, byte[] msg, int off, int len, byte[] out, int outOff) {
        long r0 = (long) LE64.get(key, keyOff) & 0x0ffffffc0fffffffL;
        long r1 = (long) LE64.get(key, keyOff + 8) & 0x0ffffffc0ffffffcL;
        long s1 = r1 + (r1 >>> 2);
        long h0 = 0;
        long h1 = 0;
        long h2 = 0;
        int end = off + len;
        int pad = 1; // the 2^128 bit of every full block
        while (off < end) {
            long m0;
            long m1;
            if (end - off >= 16) {
                m0 = (long) LE64.get(msg, off);
                m1 = (long) LE64.get(msg, off + 8);
                off += 16;
            } else {
                // The last, short block: its bytes, then a 1 byte, then zeros (no 2^128 bit).
                m0 = 0;
                m1 = 0;
                int n = end - off;
                for (int i = 0; i < n; i++) {
                    long b = msg[off + i] & 0xffL;
                    if (i < 8) {
                        m0 |= b << (i << 3);
                    } else {
                        m1 |= b << ((i - 8) << 3);
                    }
                }
                if (n < 8) {
                    m0 |= 1L << (n << 3);
                } else {
                    m1 |= 1L << ((n - 8) << 3);
                }
                pad = 0;
                off = end;
            }
            // h += m
            long t0 = h0 + m0;
            long c = carry(h0, m0, t0);
            long t1 = h1 + m1;
            long c1 = carry(h1, m1, t1);
            h1 = t1 + c;
            c1 += carry(t1, c, h1);
            h0 = t0;
            h2 += pad + c1;
            // d = h * r, folded mod 2^130 - 5:
            //   d0 = h0 r0 + h1 s1,  d1 = h0 r1 + h1 r0 + h2 s1,  d2 = h2 r0
            long a = h0 * r0;
            long ah = Math.unsignedMultiplyHigh(h0, r0);
            long b = h1 * s1;
            long bh = Math.unsignedMultiplyHigh(h1, s1);
            long d0 = a + b;
            long d0h = ah + bh + carry(a, b, d0);
            a = h0 * r1;
            ah = Math.unsignedMultiplyHigh(h0, r1);
            b = h1 * r0;
            bh = Math.unsignedMultiplyHigh(h1, r0);
            long d1 = a + b;
            long d1h = ah + bh + carry(a, b, d1);
            long e = h2 * s1;
            long t = d1 + e;
            d1h += carry(d1, e, t);
            d1 = t;
            long d2 = h2 * r0;
            // carry d0's high half into d1, d1's into d2
            t = d1 + d0h;
            d1h += carry(d1, d0h, t);
            d1 = t;
            d2 += d1h;
            // partial reduction: h = d0 + d1 2^64 + (d2 & 3) 2^128 + 5 (d2 >> 2)
            long f = (d2 >>> 2) + (d2 & ~3L);
            h0 = d0 + f;
            c = carry(d0, f, h0);
            h1 = d1 + c;
            h2 = (d2 & 3) + carry(d1, c, h1);
        }
        // Final reduction: g = h + 5 - 2^130; if that is not negative (bit 130 of h + 5 set), h mod p = g.
        long g0 = h0 + 5;
        long c = carry(h0, 5, g0);
        long g1 = h1 + c;
        long g2 = h2 + carry(h1, c, g1);
        long mask = -(g2 >>> 2);
        h0 = (h0 & ~mask) | (g0 & mask);
        h1 = (h1 & ~mask) | (g1 & mask);
        // tag = (h + s) mod 2^128
        long k0 = (long) LE64.get(key, keyOff + 16);
        long k1 = (long) LE64.get(key, keyOff + 24);
        long tag0 = h0 + k0;
        long tag1 = h1 + k1 + carry(h0, k0, tag0);
        LE64.set(out, outOff, tag0);
        LE64.set(out, outOff + 8, tag1);
    }

    /** Whether the 16 bytes at {@code a[aOff]} and {@code b[bOff]} are equal, in time independent of their values. */
    static boolean tagsEqual(byte[] a, int aOff, byte[] b, int bOff) {
        long diff = ((long) LE64.get(a, aOff) ^ (long) LE64.get(b, bOff))
                | ((long) LE64.get(a, aOff + 8) ^ (long) LE64.get(b, bOff + 8));
        // (diff | -diff) has its sign bit set exactly when diff != 0.
        return ((diff | -diff) >>> 63) == 0;
    }

    /** The carry out of the 64-bit addition {@code sum = x + y}, 0 or 1, without a branch. */
    private static long carry(long x, long y, long sum) {
        return ((x & y) | ((x | y) & ~sum)) >>> 63;
    }
}
