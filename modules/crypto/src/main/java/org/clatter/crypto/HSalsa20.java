package org.clatter.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The HSalsa20 core (NaCl {@code crypto_core_hsalsa20}): twenty Salsa20 rounds over the constant
 * "expand 32-byte k", a 32-byte key and a 16-byte input, without the final feed-forward addition; the output is
 * state words 0, 5, 10, 15, 6, 7, 8, 9. XSalsa20 uses it to turn a key and the first 16 nonce bytes into a
 * subkey, and {@code crypto_box_beforenm} uses it (with 16 zero bytes) to turn an X25519 secret into a key.
 *
 * <p>Works on locals only: no allocation, no state, safe from any thread.
 */
final class HSalsa20 {
    private static final VarHandle LE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** "expa", "nd 3", "2-by", "te k" little-endian. */
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    private HSalsa20() {
    }

    static void hsalsa20(byte[] key, int keyOff, byte[] in, int inOff, byte[] out, int outOff) {
        int x0 = C0;
        int x1 = (int) LE_INT.get(key, keyOff);
        int x2 = (int) LE_INT.get(key, keyOff + 4);
        int x3 = (int) LE_INT.get(key, keyOff + 8);
        int x4 = (int) LE_INT.get(key, keyOff + 12);
        int x5 = C1;
        int x6 = (int) LE_INT.get(in, inOff);
        int x7 = (int) LE_INT.get(in, inOff + 4);
        int x8 = (int) LE_INT.get(in, inOff + 8);
        int x9 = (int) LE_INT.get(in, inOff + 12);
        int x10 = C2;
        int x11 = (int) LE_INT.get(key, keyOff + 16);
        int x12 = (int) LE_INT.get(key, keyOff + 20);
        int x13 = (int) LE_INT.get(key, keyOff + 24);
        int x14 = (int) LE_INT.get(key, keyOff + 28);
        int x15 = C3;
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
        LE_INT.set(out, outOff, x0);
        LE_INT.set(out, outOff + 4, x5);
        LE_INT.set(out, outOff + 8, x10);
        LE_INT.set(out, outOff + 12, x15);
        LE_INT.set(out, outOff + 16, x6);
        LE_INT.set(out, outOff + 20, x7);
        LE_INT.set(out, outOff + 24, x8);
        LE_INT.set(out, outOff + 28, x9);
    }
}
