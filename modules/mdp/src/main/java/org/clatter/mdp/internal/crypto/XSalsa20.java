package org.clatter.mdp.internal.crypto;

/**
 * The raw XSalsa20 stream cipher (Bernstein, "Extending the Salsa20 nonce"), as libsodium's
 * {@code crypto_stream_xsalsa20_xor}. The crypto SPI offers only the authenticated {@code crypto_secretbox}, whose
 * keystream starts 32 bytes in; servald's keyring slots XOR from keystream byte 0, so this is needed to read them.
 */
public final class XSalsa20 {
    private static final int C0 = 0x61707865;
    private static final int C1 = 0x3320646e;
    private static final int C2 = 0x79622d32;
    private static final int C3 = 0x6b206574;

    private XSalsa20() {
    }

    /** HSalsa20 core: 32-byte key, the first 16 bytes of {@code in}, 32 bytes out. */
    public static void hsalsa20(byte[] key, byte[] in, int inOff, byte[] out, int outOff) {
        int[] x = new int[16];
        load(x, key, in, inOff, 0L, true);
        rounds(x);
        int[] pick = {0, 5, 10, 15, 6, 7, 8, 9};
        for (int i = 0; i < 8; i++) {
            putLe(out, outOff + 4 * i, x[pick[i]]);
        }
    }

    /** XORs {@code data[off, off+len)} in place with the stream for a 32-byte key and a 24-byte nonce. */
    public static void xor(byte[] key, byte[] nonce, byte[] data, int off, int len) {
        int[] x = new int[16];
        int[] w;
        // HSalsa20 over the first 16 nonce bytes gives the Salsa20 key.
        byte[] subKey = new byte[32];
        hsalsa20(key, nonce, 0, subKey, 0);
        byte[] block = new byte[64];
        long counter = 0;
        for (int pos = 0; pos < len; pos += 64, counter++) {
            load(x, subKey, nonce, 16, counter, false);
            w = x.clone();
            rounds(w);
            for (int i = 0; i < 16; i++) {
                putLe(block, 4 * i, w[i] + x[i]);
            }
            int n = Math.min(64, len - pos);
            for (int i = 0; i < n; i++) {
                data[off + pos + i] ^= block[i];
            }
        }
    }

    private static void load(int[] x, byte[] key, byte[] nonce, int nonceOff, long counter, boolean hsalsa) {
        x[0] = C0;
        x[5] = C1;
        x[10] = C2;
        x[15] = C3;
        for (int i = 0; i < 4; i++) {
            x[1 + i] = getLe(key, 4 * i);
            x[11 + i] = getLe(key, 16 + 4 * i);
        }
        if (hsalsa) {
            for (int i = 0; i < 4; i++) {
                x[6 + i] = getLe(nonce, nonceOff + 4 * i);
            }
        } else {
            x[6] = getLe(nonce, nonceOff);
            x[7] = getLe(nonce, nonceOff + 4);
            x[8] = (int) counter;
            x[9] = (int) (counter >>> 32);
        }
    }

    private static void rounds(int[] x) {
        for (int i = 0; i < 10; i++) {
            quarter(x, 0, 4, 8, 12);
            quarter(x, 5, 9, 13, 1);
            quarter(x, 10, 14, 2, 6);
            quarter(x, 15, 3, 7, 11);
            quarter(x, 0, 1, 2, 3);
            quarter(x, 5, 6, 7, 4);
            quarter(x, 10, 11, 8, 9);
            quarter(x, 15, 12, 13, 14);
        }
    }

    private static void quarter(int[] x, int a, int b, int c, int d) {
        x[b] ^= Integer.rotateLeft(x[a] + x[d], 7);
        x[c] ^= Integer.rotateLeft(x[b] + x[a], 9);
        x[d] ^= Integer.rotateLeft(x[c] + x[b], 13);
        x[a] ^= Integer.rotateLeft(x[d] + x[c], 18);
    }

    private static int getLe(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
