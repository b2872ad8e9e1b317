package org.clatter.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Salsa20/20 keystream XOR (Bernstein's specification), allocation-free, for {@code crypto_box}'s per-packet
 * stream: the 20 rounds ({@link Salsa20Core}) run on sixteen local ints and whole 64-byte blocks are XORed four
 * bytes at a time, where
 * BouncyCastle's engine writes each block out as bytes and XORs byte by byte (about twice the time per packet).
 * Calls continue one stream: {@link #start} keys it at block 0, then each {@link #xor} goes on where the last
 * stopped. Not thread-safe (one per {@link BouncyCastleCrypto}).
 */
final class Salsa20Stream {
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int C0 = Salsa20Core.C0;
    private static final int C1 = Salsa20Core.C1;
    private static final int C2 = Salsa20Core.C2;
    private static final int C3 = Salsa20Core.C3;

    /** Key words k0..k7, nonce words n0, n1, and the 64-bit block counter. */
    private int k0, k1, k2, k3, k4, k5, k6, k7, n0, n1;
    private long counter;
    /** The current block's keystream, and how much of it is used (64: none left). */
    private final byte[] block = new byte[64];
    /** The core's sixteen words (scratch). */
    private final int[] words = new int[16];
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

    /** {@code out[outOff..+len) = in[inOff..+len) XOR} the next {@code len} keystream bytes (in may be out). */
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
        int[] x = words;
        x[0] = C0;
        x[1] = k0;
        x[2] = k1;
        x[3] = k2;
        x[4] = k3;
        x[5] = C1;
        x[6] = n0;
        x[7] = n1;
        x[8] = c0;
        x[9] = c1;
        x[10] = C2;
        x[11] = k4;
        x[12] = k5;
        x[13] = k6;
        x[14] = k7;
        x[15] = C3;
        Salsa20Core.rounds(x);
        put(in, inOff, out, outOff, 0, x[0] + C0);
        put(in, inOff, out, outOff, 4, x[1] + k0);
        put(in, inOff, out, outOff, 8, x[2] + k1);
        put(in, inOff, out, outOff, 12, x[3] + k2);
        put(in, inOff, out, outOff, 16, x[4] + k3);
        put(in, inOff, out, outOff, 20, x[5] + C1);
        put(in, inOff, out, outOff, 24, x[6] + n0);
        put(in, inOff, out, outOff, 28, x[7] + n1);
        put(in, inOff, out, outOff, 32, x[8] + c0);
        put(in, inOff, out, outOff, 36, x[9] + c1);
        put(in, inOff, out, outOff, 40, x[10] + C2);
        put(in, inOff, out, outOff, 44, x[11] + k4);
        put(in, inOff, out, outOff, 48, x[12] + k5);
        put(in, inOff, out, outOff, 52, x[13] + k6);
        put(in, inOff, out, outOff, 56, x[14] + k7);
        put(in, inOff, out, outOff, 60, x[15] + C3);
    }

    private static void put(byte[] in, int inOff, byte[] out, int outOff, int i, int word) {
        LE.set(out, outOff + i, in == null ? word : word ^ (int) LE.get(in, inOff + i));
    }
}
