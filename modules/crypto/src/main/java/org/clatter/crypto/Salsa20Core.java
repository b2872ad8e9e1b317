package org.clatter.crypto;

/**
 * The Salsa20 core's twenty rounds (ten column-and-row double rounds, without the feed-forward addition), shared by
 * {@link HSalsa20} and {@link Salsa20Stream}: sixteen state words in, the same array out. The one-block form runs on
 * locals; the {@link #LANES}-block form ({@link #roundsLanes}) keeps word {@code w} of block {@code l} at
 * {@code x[w * LANES + l]} and writes each round step as a loop over the blocks, which C2's SuperWord turns into
 * vector instructions. What JDK 25's C2 makes of each 16-iteration step loop on an AVX-512 machine
 * (disassembled): one to four scalar pre-loop iterations (alignment), two 128-bit vectors (8 lanes), and a
 * scalar post-loop for the rest; about 66 ns a block against about 95 for the one-block form.
 */
final class Salsa20Core {
    /** "expa", "nd 3", "2-by", "te k" little-endian. */
    static final int C0 = 0x61707865;
    static final int C1 = 0x3320646e;
    static final int C2 = 0x79622d32;
    static final int C3 = 0x6b206574;

    /** Blocks per {@link #roundsLanes} call. */
    static final int LANES = 16;

    private Salsa20Core() {
    }

    /** Applies the twenty rounds to {@link #LANES} blocks at once, word-major: word w of block l is x[w * LANES + l]. */
    static void roundsLanes(int[] x) {
        for (int i = 0; i < 10; i++) {
            // column round
            step(x, 4, 0, 12, 7);
            step(x, 9, 5, 1, 7);
            step(x, 14, 10, 6, 7);
            step(x, 3, 15, 11, 7);
            step(x, 8, 4, 0, 9);
            step(x, 13, 9, 5, 9);
            step(x, 2, 14, 10, 9);
            step(x, 7, 3, 15, 9);
            step(x, 12, 8, 4, 13);
            step(x, 1, 13, 9, 13);
            step(x, 6, 2, 14, 13);
            step(x, 11, 7, 3, 13);
            step(x, 0, 12, 8, 18);
            step(x, 5, 1, 13, 18);
            step(x, 10, 6, 2, 18);
            step(x, 15, 11, 7, 18);
            // row round
            step(x, 1, 0, 3, 7);
            step(x, 6, 5, 4, 7);
            step(x, 11, 10, 9, 7);
            step(x, 12, 15, 14, 7);
            step(x, 2, 1, 0, 9);
            step(x, 7, 6, 5, 9);
            step(x, 8, 11, 10, 9);
            step(x, 13, 12, 15, 9);
            step(x, 3, 2, 1, 13);
            step(x, 4, 7, 6, 13);
            step(x, 9, 8, 11, 13);
            step(x, 14, 13, 12, 13);
            step(x, 0, 3, 2, 18);
            step(x, 5, 4, 7, 18);
            step(x, 10, 9, 8, 18);
            step(x, 15, 14, 13, 18);
        }
    }

    /** One round step on every lane: {@code x[a] ^= rotl(x[b] + x[c], r)}, a loop C2 vectorizes. */
    private static void step(int[] x, int a, int b, int c, int r) {
        int ai = a * LANES;
        int bi = b * LANES;
        int ci = c * LANES;
        for (int l = 0; l < LANES; l++) {
            x[ai + l] ^= Integer.rotateLeft(x[bi + l] + x[ci + l], r);
        }
    }

    /** Applies the twenty rounds to {@code x[0..16)} in place. */
    static void rounds(int[] x) {
        int x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], x4 = x[4], x5 = x[5], x6 = x[6], x7 = x[7];
        int x8 = x[8], x9 = x[9], x10 = x[10], x11 = x[11], x12 = x[12], x13 = x[13], x14 = x[14], x15 = x[15];
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
        x[0] = x0;
        x[1] = x1;
        x[2] = x2;
        x[3] = x3;
        x[4] = x4;
        x[5] = x5;
        x[6] = x6;
        x[7] = x7;
        x[8] = x8;
        x[9] = x9;
        x[10] = x10;
        x[11] = x11;
        x[12] = x12;
        x[13] = x13;
        x[14] = x14;
        x[15] = x15;
    }
}
