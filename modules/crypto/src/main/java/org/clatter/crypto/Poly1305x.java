package org.clatter.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 (RFC 8439, NaCl {@code crypto_onetimeauth}) on three 44/44/42-bit limbs in {@code long}s, for the
 * secretbox and box paths. One {@link #mac} call computes a whole tag; allocation-free (one instance keeps a few
 * scratch words; not thread-safe).
 *
 * <p>Each limb product {@code a·b} (below 2^94) is taken as its low 52 bits plus {@code floor(a·b / 2^52)}: with
 * {@code b} stored pre-shifted by 12 bits, the first is {@code (a·b') >>> 12} and the second is
 * {@code Math.multiplyHigh(a, b')} (a C2 intrinsic), so sums of up to twelve products need no 128-bit carries.
 * Messages of {@link #WIDE_MIN} bytes or more go four blocks per step,
 * {@code h = (h + m1)·r^4 + m2·r^3 + m3·r^2 + m4·r}: the multiplications of a step are independent of each
 * other, and one carry chain serves four blocks. The carries, the final reduction to {@code h mod 2^130 − 5} and
 * the tag comparison ({@link #tagsEqual}) are branch-free: no branch depends on the key or the message, only on
 * the message length.
 */
final class Poly1305x {
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;
    /** From this length on, four blocks per step (the powers of r cost about three blocks' work per message). */
    static final int WIDE_MIN = 256;
    private static final long M44 = (1L << 44) - 1;
    private static final long M42 = (1L << 42) - 1;
    /** The 2^128 bit of a full 16-byte block, in the top limb. */
    private static final long HIBIT = 1L << 40;

    /** r, r^2, r^3, r^4 (three limbs each, not shifted), then one product's limbs. */
    private final long[] w = new long[15];

    /** Writes the 16-byte tag of {@code msg[off..off+len)} under the 32-byte one-time {@code key} to {@code out}. */
    void mac(byte[] key, int keyOff, byte[] msg, int off, int len, byte[] out, int outOff) {
        long t0 = (long) LE64.get(key, keyOff);
        long t1 = (long) LE64.get(key, keyOff + 8);
        long r0 = t0 & 0xffc0fffffffL;                        // r, clamped, in 44/44/42-bit limbs
        long r1 = ((t0 >>> 44) | (t1 << 20)) & 0xfffffc0ffffL;
        long r2 = (t1 >>> 24) & 0x00ffffffc0fL;
        long[] w = this.w;
        long h0 = 0;
        long h1 = 0;
        long h2 = 0;
        int end = off + len;
        if (len >= WIDE_MIN) {
            w[0] = r0;
            w[1] = r1;
            w[2] = r2;
            mulInto(w, 3, r0, r1, r2, r0, r1, r2);             // r^2
            mulInto(w, 6, w[3], w[4], w[5], r0, r1, r2);       // r^3
            mulInto(w, 9, w[3], w[4], w[5], w[3], w[4], w[5]); // r^4
            // Limbs pre-shifted by 12 (see the class comment); vNk = 20 * limb k of r^N (2^130 = 5 mod p).
            long p10 = r0 << 12, p11 = r1 << 12, p12 = r2 << 12;
            long p20 = w[3] << 12, p21 = w[4] << 12, p22 = w[5] << 12;
            long p30 = w[6] << 12, p31 = w[7] << 12, p32 = w[8] << 12;
            long p40 = w[9] << 12, p41 = w[10] << 12, p42 = w[11] << 12;
            long v11 = p11 * 20, v12 = p12 * 20, v21 = p21 * 20, v22 = p22 * 20;
            long v31 = p31 * 20, v32 = p32 * 20, v41 = p41 * 20, v42 = p42 * 20;
            while (end - off >= 64) {
                long m0 = (long) LE64.get(msg, off);
                long m1 = (long) LE64.get(msg, off + 8);
                h0 += m0 & M44;
                h1 += ((m0 >>> 44) | (m1 << 20)) & M44;
                h2 += (m1 >>> 24) | HIBIT;
                m0 = (long) LE64.get(msg, off + 16);
                m1 = (long) LE64.get(msg, off + 24);
                long a0 = m0 & M44;
                long a1 = ((m0 >>> 44) | (m1 << 20)) & M44;
                long a2 = (m1 >>> 24) | HIBIT;
                m0 = (long) LE64.get(msg, off + 32);
                m1 = (long) LE64.get(msg, off + 40);
                long b0 = m0 & M44;
                long b1 = ((m0 >>> 44) | (m1 << 20)) & M44;
                long b2 = (m1 >>> 24) | HIBIT;
                m0 = (long) LE64.get(msg, off + 48);
                m1 = (long) LE64.get(msg, off + 56);
                long e0 = m0 & M44;
                long e1 = ((m0 >>> 44) | (m1 << 20)) & M44;
                long e2 = (m1 >>> 24) | HIBIT;
                off += 64;
                // Limb k of (h r^4 + a r^3 + b r^2 + e r) as lo (mod 2^52 parts) + hi * 2^52.
                long lo = lo(h0, p40) + lo(h1, v42) + lo(h2, v41) + lo(a0, p30) + lo(a1, v32) + lo(a2, v31)
                        + lo(b0, p20) + lo(b1, v22) + lo(b2, v21) + lo(e0, p10) + lo(e1, v12) + lo(e2, v11);
                long hi = hi(h0, p40) + hi(h1, v42) + hi(h2, v41) + hi(a0, p30) + hi(a1, v32) + hi(a2, v31)
                        + hi(b0, p20) + hi(b1, v22) + hi(b2, v21) + hi(e0, p10) + hi(e1, v12) + hi(e2, v11);
                long n0 = lo & M44;
                long c = (lo >>> 44) + (hi << 8);
                lo = lo(h0, p41) + lo(h1, p40) + lo(h2, v42) + lo(a0, p31) + lo(a1, p30) + lo(a2, v32)
                        + lo(b0, p21) + lo(b1, p20) + lo(b2, v22) + lo(e0, p11) + lo(e1, p10) + lo(e2, v12) + c;
                hi = hi(h0, p41) + hi(h1, p40) + hi(h2, v42) + hi(a0, p31) + hi(a1, p30) + hi(a2, v32)
                        + hi(b0, p21) + hi(b1, p20) + hi(b2, v22) + hi(e0, p11) + hi(e1, p10) + hi(e2, v12);
                long n1 = lo & M44;
                c = (lo >>> 44) + (hi << 8);
                lo = lo(h0, p42) + lo(h1, p41) + lo(h2, p40) + lo(a0, p32) + lo(a1, p31) + lo(a2, p30)
                        + lo(b0, p22) + lo(b1, p21) + lo(b2, p20) + lo(e0, p12) + lo(e1, p11) + lo(e2, p10) + c;
                hi = hi(h0, p42) + hi(h1, p41) + hi(h2, p40) + hi(a0, p32) + hi(a1, p31) + hi(a2, p30)
                        + hi(b0, p22) + hi(b1, p21) + hi(b2, p20) + hi(e0, p12) + hi(e1, p11) + hi(e2, p10);
                h2 = lo & M42;
                c = (lo >>> 42) + (hi << 10);
                h0 = n0 + c * 5;
                h1 = n1 + (h0 >>> 44);
                h0 &= M44;
            }
        }
        while (off < end) {
            long m0;
            long m1;
            long top;
            int n = end - off;
            if (n >= 16) {
                m0 = (long) LE64.get(msg, off);
                m1 = (long) LE64.get(msg, off + 8);
                top = HIBIT;
                off += 16;
            } else {
                // The last, short block: its bytes, then a 1 byte, then zeros (and no 2^128 bit).
                m0 = 0;
                m1 = 0;
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
                top = 0;
                off = end;
            }
            mulInto(w, 12, h0 + (m0 & M44), h1 + (((m0 >>> 44) | (m1 << 20)) & M44), h2 + ((m1 >>> 24) | top),
                    r0, r1, r2);
            h0 = w[12];
            h1 = w[13];
            h2 = w[14];
        }
        // Carry fully (two passes leave every limb in range), then h mod p: g = h + 5 - 2^130 is h - p; keep g
        // where it is not negative.
        long c;
        for (int pass = 0; pass < 2; pass++) {
            c = h1 >>> 44;
            h1 &= M44;
            h2 += c;
            c = h2 >>> 42;
            h2 &= M42;
            h0 += c * 5;
            c = h0 >>> 44;
            h0 &= M44;
            h1 += c;
        }
        long g0 = h0 + 5;
        c = g0 >>> 44;
        g0 &= M44;
        long g1 = h1 + c;
        c = g1 >>> 44;
        g1 &= M44;
        long g2 = h2 + c - (1L << 42);
        long keepG = (g2 >>> 63) - 1; // all ones when g >= 0
        h0 = (h0 & ~keepG) | (g0 & keepG);
        h1 = (h1 & ~keepG) | (g1 & keepG);
        h2 = (h2 & ~keepG) | (g2 & keepG);
        // tag = (h + s) mod 2^128
        long k0 = (long) LE64.get(key, keyOff + 16);
        long k1 = (long) LE64.get(key, keyOff + 24);
        h0 += k0 & M44;
        c = h0 >>> 44;
        h0 &= M44;
        h1 += (((k0 >>> 44) | (k1 << 20)) & M44) + c;
        c = h1 >>> 44;
        h1 &= M44;
        h2 += (k1 >>> 24) + c;
        LE64.set(out, outOff, h0 | (h1 << 44));
        LE64.set(out, outOff + 8, (h1 >>> 20) | (h2 << 24));
    }

    /**
     * {@code out[o..o+3) = a·b}, partially reduced mod 2^130 − 5 (limbs below 2^44, 2^44 + 2^15, 2^42), for
     * limbs of {@code a} below 2^45, 2^45, 2^43 and of {@code b} below 2^44, 2^44 + 2^15, 2^42.
     */
    private static void mulInto(long[] out, int o, long a0, long a1, long a2, long b0, long b1, long b2) {
        long q0 = b0 << 12;
        long q1 = b1 << 12;
        long q2 = b2 << 12;
        long u1 = q1 * 20;
        long u2 = q2 * 20;
        long lo = lo(a0, q0) + lo(a1, u2) + lo(a2, u1);
        long hi = hi(a0, q0) + hi(a1, u2) + hi(a2, u1);
        long n0 = lo & M44;
        long c = (lo >>> 44) + (hi << 8);
        lo = lo(a0, q1) + lo(a1, q0) + lo(a2, u2) + c;
        hi = hi(a0, q1) + hi(a1, q0) + hi(a2, u2);
        long n1 = lo & M44;
        c = (lo >>> 44) + (hi << 8);
        lo = lo(a0, q2) + lo(a1, q1) + lo(a2, q0) + c;
        hi = hi(a0, q2) + hi(a1, q1) + hi(a2, q0);
        long n2 = lo & M42;
        c = (lo >>> 42) + (hi << 10);
        n0 += c * 5;
        n1 += n0 >>> 44;
        n0 &= M44;
        out[o] = n0;
        out[o + 1] = n1;
        out[o + 2] = n2;
    }

    /** The low 52 bits of {@code a·b}, where {@code b12 = b << 12}. */
    private static long lo(long a, long b12) {
        return (a * b12) >>> 12;
    }

    /** {@code floor(a·b / 2^52)}, where {@code b12 = b << 12}. */
    private static long hi(long a, long b12) {
        return Math.multiplyHigh(a, b12);
    }

    /** Whether the 16 bytes at {@code a[aOff]} and {@code b[bOff]} are equal, in time independent of their values. */
    static boolean tagsEqual(byte[] a, int aOff, byte[] b, int bOff) {
        long diff = ((long) LE64.get(a, aOff) ^ (long) LE64.get(b, bOff))
                | ((long) LE64.get(a, aOff + 8) ^ (long) LE64.get(b, bOff + 8));
        // (diff | -diff) has its sign bit set exactly when diff != 0.
        return ((diff | -diff) >>> 63) == 0;
    }
}
