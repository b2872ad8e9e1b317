package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clatter.mdp.Sid;
import org.clatter.spi.crypto.Crypto;

/**
 * MDP payload protection (spec §5). Not thread-safe: one per engine thread.
 *
 * <ul>
 *   <li>CIPHERED|SIGNED: {@code nonce(24) || MAC(16) || ciphertext}, NaCl {@code crypto_box} between the sender's
 *       SID/box secret and the recipient's SID;</li>
 *   <li>SIGNED only: {@code data || sig(64)}, Ed25519 by the sender's Signing ID over SHA-512(data);</li>
 *   <li>CIPHERED alone is rejected, as servald does.</li>
 * </ul>
 *
 * Shared keys are cached per (peer, own identity) pair, up to 512 as servald does.
 */
public final class FrameSecurity {
    public static final int NONCE = 24;
    public static final int MAC = 16;
    /** Bytes a crypted payload adds. */
    public static final int BOX_OVERHEAD = NONCE + MAC;
    public static final int SIGNATURE = 64;
    private static final int CACHE = 512;

    private final Crypto crypto;
    private final byte[] in = new byte[0x10000];
    private final byte[] hash = new byte[64];
    private final byte[] nonceState = new byte[128];
    private final byte[] key = new byte[32];
    private final Map<KeyPair, byte[]> keys = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<KeyPair, byte[]> e) {
            return size() > CACHE;
        }
    };

    public FrameSecurity(Crypto crypto) {
        this.crypto = crypto;
        crypto.randomBytes(nonceState, 0, nonceState.length);
    }

    /**
     * Opens a crypted payload into {@code out} ({@code len - 40} bytes).
     *
     * @param ownSid       the recipient identity's SID (the cache key)
     * @param ownBoxSecret its X25519 secret
     * @return {@link DecodeResult#OK}, {@link DecodeResult#TRUNCATED} or {@link DecodeResult#BAD_MAC}
     */
    public int open(MemorySegment seg, long off, int len, Sid peer, Sid ownSid, byte[] ownBoxSecret, byte[] out,
                    int outOff) {
        if (len < BOX_OVERHEAD) {
            return DecodeResult.TRUNCATED;
        }
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, in, 0, len);
        byte[] k = sharedKey(peer, ownSid, ownBoxSecret);
        if (k == null) {
            return DecodeResult.BAD_MAC;
        }
        return crypto.secretBoxOpen(k, 0, in, 0, in, NONCE, len - NONCE, out, outOff)
                ? DecodeResult.OK : DecodeResult.BAD_MAC;
    }

    /**
     * Seals {@code plain} for a peer: writes {@code nonce || MAC || ciphertext} ({@code len + 40} bytes).
     *
     * @param nonce 24 bytes; see {@link #nextNonce}
     * @return false when the peer's key is a low-order point
     */
    public boolean seal(byte[] nonce, Sid peer, Sid ownSid, byte[] ownBoxSecret, byte[] plain, int off, int len,
                        byte[] out, int outOff) {
        byte[] k = sharedKey(peer, ownSid, ownBoxSecret);
        if (k == null) {
            return false;
        }
        System.arraycopy(nonce, 0, out, outOff, NONCE);
        crypto.secretBox(k, 0, nonce, 0, plain, off, len, out, outOff + NONCE);
        return true;
    }

    /**
     * servald's nonce: a process-wide random 128-byte counter incremented little-endian before each use; the first
     * 24 bytes, with bit 7 of byte 0 cleared.
     */
    public void nextNonce(byte[] out) {
        for (int i = 0; i < nonceState.length; i++) {
            if (++nonceState[i] != 0) {
                break;
            }
        }
        System.arraycopy(nonceState, 0, out, 0, NONCE);
        out[0] &= 0x7f;
    }

    /**
     * Verifies a SIGNED payload ({@code data || sig}).
     *
     * @return {@link DecodeResult#OK}, {@link DecodeResult#TRUNCATED} or {@link DecodeResult#BAD_SIGNATURE}
     */
    public int verify(MemorySegment seg, long off, int len, byte[] signingId) {
        if (len < SIGNATURE) {
            return DecodeResult.TRUNCATED;
        }
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, in, 0, len);
        crypto.sha512(in, 0, len - SIGNATURE, hash, 0);
        return crypto.ed25519Verify(signingId, 0, hash, 0, 64, in, len - SIGNATURE)
                ? DecodeResult.OK : DecodeResult.BAD_SIGNATURE;
    }

    /** Verifies an Ed25519 signature over a raw message (keymap replies sign the 32-byte SID itself). */
    public boolean verifyRaw(byte[] signingId, int keyOff, byte[] msg, byte[] sig, int sigOff) {
        return crypto.ed25519Verify(signingId, keyOff, msg, 0, msg.length, sig, sigOff);
    }

    /** Writes {@code data || Ed25519(seed, SHA-512(data))}; returns {@code len + 64}. */
    public int sign(byte[] seed, byte[] signingId, byte[] data, int off, int len, byte[] out, int outOff) {
        crypto.sha512(data, off, len, hash, 0);
        System.arraycopy(data, off, out, outOff, len);
        crypto.ed25519Sign(seed, 0, signingId, 0, hash, 0, 64, out, outOff + len);
        return len + SIGNATURE;
    }

    private byte[] sharedKey(Sid peer, Sid own, byte[] ownBoxSecret) {
        KeyPair kp = new KeyPair(peer, own);
        byte[] k = keys.get(kp);
        if (k == null) {
            byte[] pub = peer.toBytes();
            if (!crypto.boxBeforeNm(pub, 0, ownBoxSecret, 0, key, 0)) {
                return null;
            }
            k = key.clone();
            keys.put(kp, k);
        }
        return k;
    }

    private record KeyPair(Sid peer, Sid own) {
    }
}
