package org.clatter.spi.crypto;

/**
 * NaCl-compatible primitives on byte arrays with offsets. An instance is <em>not</em> thread-safe (it keeps
 * preallocated scratch buffers so that no call allocates); create one per thread. Output and input ranges
 * may not overlap unless a method says so.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li>Ed25519: a 32-byte seed is the secret; the public key is derived from it ({@link #ed25519PublicKey}).
 *       libsodium's 64-byte secret key is {@code seed || public}.</li>
 *   <li>{@code crypto_box}/{@code crypto_secretbox} output is {@code MAC(16) || ciphertext}: NaCl's output
 *       with its 16 leading zero bytes removed, which is libsodium's "easy" format and what Serval puts on
 *       the wire.</li>
 *   <li>{@code crypto_box} shared key = HSalsa20(X25519(secret, public), 16 zero bytes), the NaCl
 *       {@code crypto_box_beforenm}.</li>
 * </ul>
 */
public interface Crypto {
    int ED25519_SEED_BYTES = 32;
    int ED25519_PUBLIC_BYTES = 32;
    int ED25519_SIGNATURE_BYTES = 64;
    int X25519_BYTES = 32;
    int BOX_NONCE_BYTES = 24;
    int BOX_MAC_BYTES = 16;
    int BOX_KEY_BYTES = 32;
    int SHA512_BYTES = 64;

    /** SHA-512 of {@code in[inOff, inOff+len)} into {@code out[outOff, outOff+64)}. */
    void sha512(byte[] in, int inOff, int len, byte[] out, int outOff);

    /** The Ed25519 public key of a 32-byte seed. */
    void ed25519PublicKey(byte[] seed, int seedOff, byte[] pub, int pubOff);

    /**
     * Signs a message with the secret seed (deterministic, RFC 8032).
     *
     * @param pub the signer's public key (as derived from the seed; passing it saves a scalar multiplication)
     */
    void ed25519Sign(byte[] seed, int seedOff, byte[] pub, int pubOff,
                     byte[] msg, int msgOff, int msgLen, byte[] sig, int sigOff);

    /** Verifies an Ed25519 signature; false for a bad signature or a malformed key, never throws. */
    boolean ed25519Verify(byte[] pub, int pubOff, byte[] msg, int msgOff, int msgLen, byte[] sig, int sigOff);

    /** X25519 public key of a 32-byte secret (clamped as RFC 7748 says). */
    void x25519PublicKey(byte[] secret, int secretOff, byte[] pub, int pubOff);

    /** X25519 shared secret; false when the result is all zero (a low-order point), never throws. */
    boolean x25519(byte[] secret, int secretOff, byte[] pub, int pubOff, byte[] out, int outOff);

    /**
     * The X25519 (Montgomery) form of an Ed25519 public key, as libsodium's
     * {@code crypto_sign_ed25519_pk_to_curve25519}; false when the input is not a valid point.
     */
    boolean ed25519PublicToX25519(byte[] edPub, int edPubOff, byte[] xPub, int xPubOff);

    /**
     * The X25519 secret of an Ed25519 seed: the clamped first half of SHA-512(seed), as libsodium's
     * {@code crypto_sign_ed25519_sk_to_curve25519}.
     */
    void ed25519SeedToX25519Secret(byte[] seed, int seedOff, byte[] xSecret, int xSecretOff);

    /** HSalsa20 core: 32-byte key, 16-byte input, 32-byte output (NaCl {@code crypto_core_hsalsa20}). */
    void hsalsa20(byte[] key, int keyOff, byte[] in, int inOff, byte[] out, int outOff);

    /**
     * The raw Salsa20 stream (libsodium {@code crypto_stream_salsa20_xor_ic}): XORs {@code len} bytes of
     * {@code in} with the keystream of a 32-byte key and an 8-byte nonce, starting at 64-byte block
     * {@code blockCounter}, into {@code out}. {@code in} and {@code out} may be the same range. With
     * {@link #hsalsa20} over the first 16 bytes of a 24-byte nonce (the key) and its last 8 bytes (the nonce),
     * this is raw XSalsa20, which servald uses for keyring slots and Rhizome payloads.
     */
    void salsa20Xor(byte[] key, int keyOff, byte[] nonce, int nonceOff, long blockCounter,
                    byte[] in, int inOff, int len, byte[] out, int outOff);

    /** NaCl {@code crypto_box_beforenm}: the shared secretbox key of a public and a secret X25519 key. */
    boolean boxBeforeNm(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] key, int keyOff);

    /**
     * NaCl {@code crypto_secretbox}: writes {@code MAC || ciphertext} ({@code len + 16} bytes) to {@code out}.
     * The input and output ranges must not overlap.
     */
    void secretBox(byte[] key, int keyOff, byte[] nonce, int nonceOff,
                   byte[] msg, int msgOff, int len, byte[] out, int outOff);

    /**
     * NaCl {@code crypto_secretbox_open}: reads {@code MAC || ciphertext} ({@code boxLen} bytes, at least 16),
     * writes {@code boxLen - 16} plaintext bytes. False, with {@code out} untouched, when the MAC does not verify.
     */
    boolean secretBoxOpen(byte[] key, int keyOff, byte[] nonce, int nonceOff,
                          byte[] box, int boxOff, int boxLen, byte[] out, int outOff);

    /** NaCl {@code crypto_box}: {@link #boxBeforeNm} then {@link #secretBox}. False for a low-order key. */
    boolean box(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] nonce, int nonceOff,
                byte[] msg, int msgOff, int len, byte[] out, int outOff);

    /** NaCl {@code crypto_box_open}: false when the key is bad or the MAC does not verify. */
    boolean boxOpen(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] nonce, int nonceOff,
                    byte[] box, int boxOff, int boxLen, byte[] out, int outOff);

    /** Fills the range with bytes from a cryptographically strong generator. */
    void randomBytes(byte[] out, int off, int len);
}
