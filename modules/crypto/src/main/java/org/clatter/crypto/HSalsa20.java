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
 * <p>No state: the hot path passes its own scratch words (the six-argument form allocates them).
 */
final class HSalsa20 {
    private static final VarHandle LE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private HSalsa20() {
    }

    /** As {@link #hsalsa20(byte[], int, byte[], int, byte[], int, int[])} with a scratch array of its own. */
    static void hsalsa20(byte[] key, int keyOff, byte[] in, int inOff, byte[] out, int outOff) {
        hsalsa20(key, keyOff, in, inOff, out, outOff, new int[16]);
    }

    /** HSalsa20 of {@code key} and 16 bytes of {@code in} into 32 bytes of {@code out}; {@code x}: 16 scratch words. */
    static void hsalsa20(byte[] key, int keyOff, byte[] in, int inOff, byte[] out, int outOff, int[] x) {
        x[0] = Salsa20Core.C0;
        x[1] = (int) LE_INT.get(key, keyOff);
        x[2] = (int) LE_INT.get(key, keyOff + 4);
        x[3] = (int) LE_INT.get(key, keyOff + 8);
        x[4] = (int) LE_INT.get(key, keyOff + 12);
        x[5] = Salsa20Core.C1;
        x[6] = (int) LE_INT.get(in, inOff);
        x[7] = (int) LE_INT.get(in, inOff + 4);
        x[8] = (int) LE_INT.get(in, inOff + 8);
        x[9] = (int) LE_INT.get(in, inOff + 12);
        x[10] = Salsa20Core.C2;
        x[11] = (int) LE_INT.get(key, keyOff + 16);
        x[12] = (int) LE_INT.get(key, keyOff + 20);
        x[13] = (int) LE_INT.get(key, keyOff + 24);
        x[14] = (int) LE_INT.get(key, keyOff + 28);
        x[15] = Salsa20Core.C3;
        Salsa20Core.rounds(x);
        LE_INT.set(out, outOff, x[0]);
        LE_INT.set(out, outOff + 4, x[5]);
        LE_INT.set(out, outOff + 8, x[10]);
        LE_INT.set(out, outOff + 12, x[15]);
        LE_INT.set(out, outOff + 16, x[6]);
        LE_INT.set(out, outOff + 20, x[7]);
        LE_INT.set(out, outOff + 24, x[8]);
        LE_INT.set(out, outOff + 28, x[9]);
        java.util.Arrays.fill(x, 0);
    }
}
