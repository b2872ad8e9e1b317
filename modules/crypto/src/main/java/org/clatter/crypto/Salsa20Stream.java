package org.clatter.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Salsa20/20 keystream XOR (Bernstein's specification), allocation-free, for {@code crypto_box}'s per-packet
 * stream: the 20 rounds run on sixteen local ints and whole 64-byte blocks are XORed four bytes at a time, where
 * BouncyCastle's engine writes each block out as bytes and XORs byte by byte (about twice the time per packet).
 * Calls continue one stream: {@link #start} keys it at block 0, then each {@link #xor} goes on where the last
 * stopped. Not thread-safe (one per {@link BouncyCastleCrypto}).
 */
final class Salsa20Stream {
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    /** Key words k0..k7, nonce words n0, n1, and the 64-bit block counter. */
    private int k0, k1, k2, k3, k4, k5, k6, k7, n0, n1;
    private long counter;
    /** The current block's keystream, and how much of it is used (64: none left). */
    private final byte[] block = new byte[64];
    private int used = 64;

    /** Keys the stream with a 32-byte key and an 8-byte nonce, at block 0. */
    void start(byte[] key, int keyOff, byte[] nonce, int nonceOff) {
        k0 = (int) LE.get(key, keyOff);
        k1 = (int) LE.get(key, keyOff + 4);
        k2 = (int) LE.get(key, keyOff + 8);
        k3 = (int) LE.get(key, keyOff + 12);
        k4 = (int) LE.get(key, keyOff + 16);
        k5 = (int) LE.get(key, keyOff + 20);
        k6 = (int) LE.get(key, keyOff + 24);
        k7 = (int) LE.get(key, keyOff + 28);
        n0 = (int) LE.get(nonce, nonceOff);
        n1 = (int) LE.get(nonce, nonceOff + 4);
        counter = 0;
        used = 64;
    }

    /** Wipes the key and the buffered keystream. */
    void clear() {
        k0 = k1 = k2 = k3 = k4 = k5 = k6 = k7 = n0 = n1 = 0;
        counter = 0;
        java.util.Arrays.fill(block, (byte) 0);
        used = 64;
    }

    /** {@code out[outOff..+len) = in[inOff..+len) XOR} the next {@code len} keystream bytes (in and out may be the same). */
    void xor(byte[] in, int inOff, int len, byte[] out, int outOff) {
        while (len > 0 && used < 64) {
            out[outOff++] = (byte) (in[inOff++] ^ block[used++]);
            len--;
        }
        while (len >= 64) {
            next(in, inOff, out, outOff);
            inOff += 64;
            outOff += 64;
            len -= 64;
        }
        if (len > 0) {
            next(null, 0, block, 0);
            used = 0;
            while (len > 0) {
                out[outOff++] = (byte) (in[inOff++] ^ block[used++]);
                len--;
            }
        }
    }

    /**
     * Computes the next block and writes {@code in XOR keystream} to {@code out} (64 bytes), or the keystream itself
     * when {@code in} is null.
     */
    private void next(byte[] in, int inOff, byte[] out, int outOff) {
        int c0 = (int) counter;
        int c1 = (int) (counter >>> 32);
        counter++;
        int x0 = C0, x1 = k0, x2 = k1, x3 = k2, x4 = k3, x5 = C1, x6 = n0, x7 = n1;
        int x8 = c0, x9 = c1, x10 = C2, x11 = k4, x12 = k5, x13 = k6, x14 = k7, x15 = C3;
        for (int i = 0; i < 10; i++) {
            // column round
            x4 ^= Integer.rotateLeft(x0 + x12, 7);
            x8 ^= Integer.rotateLeft(x4 + x0, 9);
            x12 ^= Integer.rotateLeft(x8 + x4, 13);
            x0 ^= Integer.rotateLeft(x12 + x8, 18);
            x9 ^= Integer.rotateLeft(x5 + x1, 7);
            x13 ^= Integer.rotateLeft(x9 + x5, 9);
            x1 ^= Integer.rotateLeft(x13 + x9, 13);
            x5 ^= Integer.rotateLeft(x1 + x13, 18);
            x14 ^= Integer.rotateLeft(x10 + x6, 7);
            x2 ^= Integer.rotateLeft(x14 + x10, 9);
            x6 ^= Integer.rotateLeft(x2 + x14, 13);
            x10 ^= Integer.rotateLeft(x6 + x2, 18);
            x3 ^= Integer.rotateLeft(x15 + x11, 7);
            x7 ^= Integer.rotateLeft(x3 + x15, 9);
            x11 ^= Integer.rotateLeft(x7 + x3, 13);
            x15 ^= Integer.rotateLeft(x11 + x7, 18);
            // row round
            x1 ^= Integer.rotateLeft(x0 + x3, 7);
            x2 ^= Integer.rotateLeft(x1 + x0, 9);
            x3 ^= Integer.rotateLeft(x2 + x1, 13);
            x0 ^= Integer.rotateLeft(x3 + x2, 18);
            x6 ^= Integer.rotateLeft(x5 + x4, 7);
            x7 ^= Integer.rotateLeft(x6 + x5, 9);
            x4 ^= Integer.rotateLeft(x7 + x6, 13);
            x5 ^= Integer.rotateLeft(x4 + x7, 18);
            x11 ^= Integer.rotateLeft(x10 + x9, 7);
            x8 ^= Integer.rotateLeft(x11 + x10, 9);
            x9 ^= Integer.rotateLeft(x8 + x11, 13);
            x10 ^= Integer.rotateLeft(x9 + x8, 18);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
        }
        put(in, inOff, out, outOff, 0, x0 + C0);
        put(in, inOff, out, outOff, 4, x1 + k0);
        put(in, inOff, out, outOff, 8, x2 + k1);
        put(in, inOff, out, outOff, 12, x3 + k2);
        put(in, inOff, out, outOff, 16, x4 + k3);
        put(in, inOff, out, outOff, 20, x5 + C1);
        put(in, inOff, out, outOff, 24, x6 + n0);
        put(in, inOff, out, outOff, 28, x7 + n1);
        put(in, inOff, out, outOff, 32, x8 + c0);
        put(in, inOff, out, outOff, 36, x9 + c1);
        put(in, inOff, out, outOff, 40, x10 + C2);
        put(in, inOff, out, outOff, 44, x11 + k4);
        put(in, inOff, out, outOff, 48, x12 + k5);
        put(in, inOff, out, outOff, 52, x13 + k6);
        put(in, inOff, out, outOff, 56, x14 + k7);
        put(in, inOff, out, outOff, 60, x15 + C3);
    }

    private static void put(byte[] in, int inOff, byte[] out, int outOff, int i, int word) {
        LE.set(out, outOff + i, in == null ? word : word ^ (int) LE.get(in, inOff + i));
    }
}
