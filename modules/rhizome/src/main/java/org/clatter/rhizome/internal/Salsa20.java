package org.clatter.rhizome.internal;

/**
 * The Salsa20/20 block function (Bernstein's specification), producing 64 keystream bytes for a 32-byte key,
 * an 8-byte nonce and a 64-bit block counter. XSalsa20 = HSalsa20 (from the crypto SPI) + this.
 */
public final class Salsa20 {
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    private Salsa20() {
    }

    /** Writes the 64-byte keystream block {@code counter} into {@code out[0,64)}. */
    public static void block(byte[] key, byte[] nonce, int nonceOff, long counter, byte[] out) {
        int j0 = C0;
        int j1 = le(key, 0);
        int j2 = le(key, 4);
        int j3 = le(key, 8);
        int j4 = le(key, 12);
        int j5 = C1;
        int j6 = le(nonce, nonceOff);
        int j7 = le(nonce, nonceOff + 4);
        int j8 = (int) counter;
        int j9 = (int) (counter >>> 32);
        int j10 = C2;
        int j11 = le(key, 16);
        int j12 = le(key, 20);
        int j13 = le(key, 24);
        int j14 = le(key, 28);
        int j15 = C3;
        int x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
        int x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15;
        for (int i = 0; i < 10; i++) {
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
        put(out, 0, x0 + j0);
        put(out, 4, x1 + j1);
        put(out, 8, x2 + j2);
        put(out, 12, x3 + j3);
        put(out, 16, x4 + j4);
        put(out, 20, x5 + j5);
        put(out, 24, x6 + j6);
        put(out, 28, x7 + j7);
        put(out, 32, x8 + j8);
        put(out, 36, x9 + j9);
        put(out, 40, x10 + j10);
        put(out, 44, x11 + j11);
        put(out, 48, x12 + j12);
        put(out, 52, x13 + j13);
        put(out, 56, x14 + j14);
        put(out, 60, x15 + j15);
    }

    private static int le(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }

    private static void put(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }
}
