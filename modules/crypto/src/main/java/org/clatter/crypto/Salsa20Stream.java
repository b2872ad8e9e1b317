package org.clatter.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Salsa20/20 keystream XOR (Bernstein's specification), allocation-free, for {@code crypto_box}'s per-packet
 * stream. Where {@link #BATCH_MIN} or more bytes remain, {@link Salsa20Core#LANES} blocks are computed at once by
 * the vectorized {@link Salsa20Core#roundsLanes} into a keystream buffer (a 1 KB packet: the MAC key block, then
 * one batch); otherwise one block's 20 rounds run on sixteen local ints and whole 64-byte blocks are XORed four
 * bytes at a time, where BouncyCastle's engine writes each block out as bytes and XORs byte by byte.
 * Calls continue one stream: {@link #start} keys it at block 0, then each {@link #xor} goes on where the last
 * stopped. Not thread-safe (one per {@link BouncyCastleCrypto}).
 */
final class Salsa20Stream {
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int LANES = Salsa20Core.LANES;
    /**
     * From how many outstanding bytes a call computes a batch of {@link Salsa20Core#LANES} blocks instead of single
     * blocks: a batch costs about as much as eleven or twelve single blocks (timed on the AVX-512 build machine),
     * so it pays from there.
     */
    static final int BATCH_MIN = 12 * 64;
    private static final int C0 = Salsa20Core.C0;
    private static final int C1 = Salsa20Core.C1;
    private static final int C2 = Salsa20Core.C2;
    private static final int C3 = Salsa20Core.C3;

    /** Key words k0..k7, nonce words n0, n1, and the 64-bit block counter. */
    private int k0, k1, k2, k3, k4, k5, k6, k7, n0, n1;
    private long counter;
    /** Buffered keystream (one block or a batch); bytes [used, avail) are not used yet. */
    private final byte[] block = new byte[64 * LANES];
    /** The core's sixteen words (scratch). */
    private final int[] words = new int[16];
    /** A batch's words, word-major (word w of block l at [w * LANES + l]). */
    private final int[] lanes = new int[16 * LANES];
    /** A batch's input words (same layout); the key's words are filled in once per key, on its first batch. */
    private final int[] lanesStart = new int[16 * LANES];
    private boolean lanesKeyed;
    private int used;
    private int avail;

    /** Keys the stream with a 32-byte key and an 8-byte nonce, at block 0. */
    void start(byte[] key, int keyOff, byte[] nonce, int nonceOff) {
        start(key, keyOff, nonce, nonceOff, 0);
    }

    /** Keys the stream at block {@code blockCounter} (the 64-bit counter wraps as Salsa20's does). */
    void start(byte[] key, int keyOff, byte[] nonce, int nonceOff, long blockCounter) {
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
        counter = blockCounter;
        lanesKeyed = false;
        used = 0;
        avail = 0;
    }

    /** Wipes the key and the buffered keystream. */
    void clear() {
        k0 = k1 = k2 = k3 = k4 = k5 = k6 = k7 = n0 = n1 = 0;
        counter = 0;
        if (lanesKeyed) {
            java.util.Arrays.fill(block, (byte) 0);
            java.util.Arrays.fill(lanes, 0);
            java.util.Arrays.fill(lanesStart, 0);
            lanesKeyed = false;
        } else {
            java.util.Arrays.fill(block, 0, avail, (byte) 0);
        }
        used = 0;
        avail = 0;
    }

    /** {@code out[outOff..+len) = in[inOff..+len) XOR} the next {@code len} keystream bytes (in may be out). */
    void xor(byte[] in, int inOff, int len, byte[] out, int outOff) {
        while (len > 0) {
            if (used < avail) {
                int n = Math.min(len, avail - used);
                xorBuffered(in, inOff, n, out, outOff);
                inOff += n;
                outOff += n;
                len -= n;
            } else if (len >= BATCH_MIN) {
                batch();
            } else if (len >= 64) {
                next(in, inOff, out, outOff);
                inOff += 64;
                outOff += 64;
                len -= 64;
            } else {
                next(null, 0, block, 0);
                used = 0;
                avail = 64;
            }
        }
    }

    /** XORs {@code n} buffered keystream bytes, eight at a time while it can. */
    private void xorBuffered(byte[] in, int inOff, int n, byte[] out, int outOff) {
        byte[] ks = block;
        int k = used;
        int i = 0;
        for (; i <= n - 8; i += 8) {
            LE64.set(out, outOff + i, (long) LE64.get(in, inOff + i) ^ (long) LE64.get(ks, k + i));
        }
        for (; i < n; i++) {
            out[outOff + i] = (byte) (in[inOff + i] ^ ks[k + i]);
        }
        used = k + n;
    }

    /** Computes the next {@link Salsa20Core#LANES} blocks' keystream into the buffer. */
    private void batch() {
        int[] x = lanes;
        int[] s = lanesStart;
        long ctr = counter;
        if (!lanesKeyed) {
            // The words every block of this key shares; only the counter words change per batch.
            fillWord(s, 0, C0);
            fillWord(s, 1, k0);
            fillWord(s, 2, k1);
            fillWord(s, 3, k2);
            fillWord(s, 4, k3);
            fillWord(s, 5, C1);
            fillWord(s, 6, n0);
            fillWord(s, 7, n1);
            fillWord(s, 10, C2);
            fillWord(s, 11, k4);
            fillWord(s, 12, k5);
            fillWord(s, 13, k6);
            fillWord(s, 14, k7);
            fillWord(s, 15, C3);
            lanesKeyed = true;
        }
        for (int l = 0; l < LANES; l++) {
            long c = ctr + l;
            s[8 * LANES + l] = (int) c;
            s[9 * LANES + l] = (int) (c >>> 32);
        }
        System.arraycopy(s, 0, x, 0, 16 * LANES);
        Salsa20Core.roundsLanes(x);
        for (int i = 0; i < 16 * LANES; i++) {
            x[i] += s[i];
        }
        byte[] ks = block;
        for (int l = 0; l < LANES; l++) {
            for (int w = 0; w < 16; w++) {
                LE.set(ks, l * 64 + w * 4, x[w * LANES + l]);
            }
        }
        counter = ctr + LANES;
        used = 0;
        avail = 64 * LANES;
    }

    private static void fillWord(int[] s, int w, int value) {
        java.util.Arrays.fill(s, w * LANES, (w + 1) * LANES, value);
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
