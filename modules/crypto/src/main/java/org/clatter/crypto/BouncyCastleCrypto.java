package org.clatter.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.crypto.CryptoException;

/**
 * {@link Crypto} on BouncyCastle's low-level curve APIs, the JDK's SHA-512, and Clatter's own XSalsa20
 * ({@link HSalsa20}, {@link Salsa20Stream}) and Poly1305 ({@link Poly1305x}). Not thread-safe: every buffer and
 * engine below is scratch space reused by each call, which is what keeps the secretbox and SHA-512 paths (and
 * box on a shared-key cache hit) free of allocation. BouncyCastle's Ed25519 and X25519 allocate internally.
 *
 * <pre>
 *   secretBox(k, n, m):  XSalsa20(k, n) keystream  = [ 32 bytes: Poly1305 key | m.length bytes: XOR with m ]
 *                        out = Poly1305(c) || c
 *   box(pk, sk, n, m):   k = HSalsa20(X25519(sk, pk), 0^16)   (remembered per (pk, sk) in a small cache)
 *                        secretBox(k, n, m)
 * </pre>
 */
final class BouncyCastleCrypto implements Crypto {
    private static final byte[] ZERO32 = new byte[32];

    private final MessageDigest sha512;
    /** The raw Salsa20 of {@link #salsa20Xor} (a stream of its own, so that it never disturbs a box's). */
    private final Salsa20Stream rawStream = new Salsa20Stream();
    /** The box's per-packet XSalsa20 stream (fused Salsa20 core and XOR: the cipher is most of a packet's cost). */
    private final Salsa20Stream boxStream = new Salsa20Stream();
    /** HSalsa20's scratch words. */
    private final int[] coreWords = new int[16];
    private final byte[] streamKey = new byte[BOX_KEY_BYTES];
    private final Poly1305x poly = new Poly1305x();
    /** The packet's one-time Poly1305 key (the first 32 keystream bytes). */
    private final byte[] macKey = new byte[Poly1305x.KEY_BYTES];
    private final byte[] tag = new byte[BOX_MAC_BYTES];
    private final byte[] boxKey = new byte[BOX_KEY_BYTES];
    private final byte[] shared = new byte[X25519_BYTES];
    private final byte[] derived = new byte[BOX_KEY_BYTES];
    private final byte[] hash = new byte[SHA512_BYTES];

    // Ed25519 -> X25519 public key map, in BouncyCastle's field representation.
    private final byte[] yBytes = new byte[32];
    private final int[] fy = X25519Field.create();
    private final int[] fNum = X25519Field.create();
    private final int[] fDen = X25519Field.create();
    private final int[] fInv = X25519Field.create();

    // crypto_box key cache, filled round-robin: entry i is pub||secret at cacheIds[64i..64i+64) and the
    // HSalsa20 key at cacheKeys[32i..32i+32). It spares the X25519 (about 0.1 ms, 1.2 KB of BouncyCastle
    // garbage) for the few peers a node talks to at a time.
    private final int cacheSize;
    private final byte[] cacheIds;
    private final byte[] cacheKeys;
    private int cacheUsed;
    private int cacheNext;

    private final SecureRandom random = new SecureRandom();
    private final byte[] randomScratch = new byte[256];

    BouncyCastleCrypto(int cacheSize) {
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new CryptoException("the JDK has no SHA-512 MessageDigest; use a full JDK runtime", e);
        }
        // BouncyCastle builds its base-point tables lazily, on the first signature or key agreement; do it here
        // so that the first packet does not pay for it (once per JVM; later calls return at once).
        Ed25519.precompute();
        X25519.precompute();
        this.cacheSize = cacheSize;
        this.cacheIds = new byte[cacheSize * (X25519_BYTES * 2)];
        this.cacheKeys = new byte[cacheSize * BOX_KEY_BYTES];
    }

    // ---------------------------------------------------------------- hashing

    @Override
    public void sha512(byte[] in, int inOff, int len, byte[] out, int outOff) {
        check(in, inOff, len, "input");
        check(out, outOff, SHA512_BYTES, "output");
        sha512.update(in, inOff, len);
        try {
            sha512.digest(out, outOff, SHA512_BYTES);
        } catch (DigestException e) {
            throw new CryptoException("SHA-512 failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- Ed25519

    @Override
    public void ed25519PublicKey(byte[] seed, int seedOff, byte[] pub, int pubOff) {
        check(seed, seedOff, ED25519_SEED_BYTES, "seed");
        check(pub, pubOff, ED25519_PUBLIC_BYTES, "public key");
        Ed25519.generatePublicKey(seed, seedOff, pub, pubOff);
    }

    @Override
    public void ed25519Sign(byte[] seed, int seedOff, byte[] pub, int pubOff,
                            byte[] msg, int msgOff, int msgLen, byte[] sig, int sigOff) {
        check(seed, seedOff, ED25519_SEED_BYTES, "seed");
        check(pub, pubOff, ED25519_PUBLIC_BYTES, "public key");
        check(msg, msgOff, msgLen, "message");
        check(sig, sigOff, ED25519_SIGNATURE_BYTES, "signature");
        Ed25519.sign(seed, seedOff, pub, pubOff, msg, msgOff, msgLen, sig, sigOff);
    }

    @Override
    public boolean ed25519Verify(byte[] pub, int pubOff, byte[] msg, int msgOff, int msgLen, byte[] sig, int sigOff) {
        check(pub, pubOff, ED25519_PUBLIC_BYTES, "public key");
        check(msg, msgOff, msgLen, "message");
        check(sig, sigOff, ED25519_SIGNATURE_BYTES, "signature");
        try {
            return Ed25519.verify(sig, sigOff, pub, pubOff, msg, msgOff, msgLen);
        } catch (RuntimeException e) {
            // BouncyCastle returns false for every malformed input it knows of; this keeps the promise anyway.
            return false;
        }
    }

    // ---------------------------------------------------------------- X25519 and conversions

    @Override
    public void x25519PublicKey(byte[] secret, int secretOff, byte[] pub, int pubOff) {
        check(secret, secretOff, X25519_BYTES, "secret key");
        check(pub, pubOff, X25519_BYTES, "public key");
        X25519.scalarMultBase(secret, secretOff, pub, pubOff);
    }

    @Override
    public boolean x25519(byte[] secret, int secretOff, byte[] pub, int pubOff, byte[] out, int outOff) {
        check(secret, secretOff, X25519_BYTES, "secret key");
        check(pub, pubOff, X25519_BYTES, "public key");
        check(out, outOff, X25519_BYTES, "output");
        return X25519.calculateAgreement(secret, secretOff, pub, pubOff, out, outOff);
    }

    /**
     * u = (1 + y) / (1 - y) mod 2^255 - 19. Like libsodium, refuses keys that are small-order points, not on the
     * curve, or outside the prime-order subgroup (BouncyCastle's full validation, which also refuses the few
     * non-canonical encodings y &ge; p that libsodium would reduce). The validation allocates and costs about one
     * scalar multiplication; callers keep the result per peer.
     */
    @Override
    public boolean ed25519PublicToX25519(byte[] edPub, int edPubOff, byte[] xPub, int xPubOff) {
        check(edPub, edPubOff, ED25519_PUBLIC_BYTES, "Ed25519 public key");
        check(xPub, xPubOff, X25519_BYTES, "X25519 public key");
        try {
            if (!Ed25519.validatePublicKeyFull(edPub, edPubOff)) {
                return false;
            }
        } catch (RuntimeException e) {
            return false;
        }
        System.arraycopy(edPub, edPubOff, yBytes, 0, 32);
        yBytes[31] &= 0x7f; // the top bit is the sign of x, not part of y
        X25519Field.decode(yBytes, 0, fy);
        X25519Field.one(fDen);
        X25519Field.sub(fDen, fy, fDen);   // 1 - y
        X25519Field.copy(fy, 0, fNum, 0);
        X25519Field.addOne(fNum);          // 1 + y
        X25519Field.inv(fDen, fInv);
        X25519Field.mul(fNum, fInv, fNum);
        X25519Field.normalize(fNum);
        X25519Field.encode(fNum, xPub, xPubOff);
        return true;
    }

    @Override
    public void ed25519SeedToX25519Secret(byte[] seed, int seedOff, byte[] xSecret, int xSecretOff) {
        check(seed, seedOff, ED25519_SEED_BYTES, "seed");
        check(xSecret, xSecretOff, X25519_BYTES, "X25519 secret key");
        sha512(seed, seedOff, ED25519_SEED_BYTES, hash, 0);
        hash[0] &= (byte) 248;
        hash[31] &= 127;
        hash[31] |= 64;
        System.arraycopy(hash, 0, xSecret, xSecretOff, X25519_BYTES);
        Arrays.fill(hash, (byte) 0);
    }

    // ---------------------------------------------------------------- NaCl box / secretbox

    @Override
    public void hsalsa20(byte[] key, int keyOff, byte[] in, int inOff, byte[] out, int outOff) {
        check(key, keyOff, 32, "key");
        check(in, inOff, 16, "input");
        check(out, outOff, 32, "output");
        HSalsa20.hsalsa20(key, keyOff, in, inOff, out, outOff, coreWords);
    }

    @Override
    public void salsa20Xor(byte[] key, int keyOff, byte[] nonce, int nonceOff, long blockCounter,
                           byte[] in, int inOff, int len, byte[] out, int outOff) {
        check(key, keyOff, 32, "key");
        check(nonce, nonceOff, 8, "nonce");
        check(in, inOff, len, "input");
        check(out, outOff, len, "output");
        if (blockCounter < 0) {
            throw new CryptoException("the block counter must not be negative: " + blockCounter);
        }
        rawStream.start(key, keyOff, nonce, nonceOff, blockCounter);
        rawStream.xor(in, inOff, len, out, outOff);
        rawStream.clear();
    }

    @Override
    public boolean boxBeforeNm(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] key, int keyOff) {
        check(pub, pubOff, X25519_BYTES, "public key");
        check(secret, secretOff, X25519_BYTES, "secret key");
        check(key, keyOff, BOX_KEY_BYTES, "key output");
        return sharedKey(pub, pubOff, secret, secretOff, key, keyOff);
    }

    private boolean sharedKey(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] key, int keyOff) {
        for (int i = 0; i < cacheUsed; i++) {
            int id = i * 64;
            if (Arrays.equals(cacheIds, id, id + 32, pub, pubOff, pubOff + 32)
                    && Arrays.equals(cacheIds, id + 32, id + 64, secret, secretOff, secretOff + 32)) {
                System.arraycopy(cacheKeys, i * 32, key, keyOff, BOX_KEY_BYTES);
                return true;
            }
        }
        boolean ok = X25519.calculateAgreement(secret, secretOff, pub, pubOff, shared, 0);
        if (ok) {
            // Derive into scratch first: the caller's key range is written last, after pub and secret are read.
            HSalsa20.hsalsa20(shared, 0, ZERO32, 0, derived, 0, coreWords);
            if (cacheSize > 0) {
                int slot = cacheNext;
                cacheNext = (cacheNext + 1) % cacheSize;
                cacheUsed = Math.max(cacheUsed, slot + 1);
                System.arraycopy(pub, pubOff, cacheIds, slot * 64, 32);
                System.arraycopy(secret, secretOff, cacheIds, slot * 64 + 32, 32);
                System.arraycopy(derived, 0, cacheKeys, slot * 32, BOX_KEY_BYTES);
            }
            System.arraycopy(derived, 0, key, keyOff, BOX_KEY_BYTES);
            Arrays.fill(derived, (byte) 0);
        }
        Arrays.fill(shared, (byte) 0);
        return ok;
    }

    @Override
    public void secretBox(byte[] key, int keyOff, byte[] nonce, int nonceOff,
                          byte[] msg, int msgOff, int len, byte[] out, int outOff) {
        check(key, keyOff, BOX_KEY_BYTES, "key");
        check(nonce, nonceOff, BOX_NONCE_BYTES, "nonce");
        check(msg, msgOff, len, "message");
        check(out, outOff, len + BOX_MAC_BYTES, "output");
        seal(key, keyOff, nonce, nonceOff, msg, msgOff, len, out, outOff);
    }

    @Override
    public boolean secretBoxOpen(byte[] key, int keyOff, byte[] nonce, int nonceOff,
                                 byte[] box, int boxOff, int boxLen, byte[] out, int outOff) {
        check(key, keyOff, BOX_KEY_BYTES, "key");
        check(nonce, nonceOff, BOX_NONCE_BYTES, "nonce");
        check(box, boxOff, boxLen, "box");
        if (boxLen < BOX_MAC_BYTES) {
            return false;
        }
        check(out, outOff, boxLen - BOX_MAC_BYTES, "output");
        return open(key, keyOff, nonce, nonceOff, box, boxOff, boxLen, out, outOff);
    }

    @Override
    public boolean box(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] nonce, int nonceOff,
                       byte[] msg, int msgOff, int len, byte[] out, int outOff) {
        check(pub, pubOff, X25519_BYTES, "public key");
        check(secret, secretOff, X25519_BYTES, "secret key");
        check(nonce, nonceOff, BOX_NONCE_BYTES, "nonce");
        check(msg, msgOff, len, "message");
        check(out, outOff, len + BOX_MAC_BYTES, "output");
        if (!sharedKey(pub, pubOff, secret, secretOff, boxKey, 0)) {
            return false;
        }
        seal(boxKey, 0, nonce, nonceOff, msg, msgOff, len, out, outOff);
        Arrays.fill(boxKey, (byte) 0);
        return true;
    }

    @Override
    public boolean boxOpen(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] nonce, int nonceOff,
                           byte[] box, int boxOff, int boxLen, byte[] out, int outOff) {
        check(pub, pubOff, X25519_BYTES, "public key");
        check(secret, secretOff, X25519_BYTES, "secret key");
        check(nonce, nonceOff, BOX_NONCE_BYTES, "nonce");
        check(box, boxOff, boxLen, "box");
        if (boxLen < BOX_MAC_BYTES) {
            return false;
        }
        check(out, outOff, boxLen - BOX_MAC_BYTES, "output");
        if (!sharedKey(pub, pubOff, secret, secretOff, boxKey, 0)) {
            return false;
        }
        boolean ok = open(boxKey, 0, nonce, nonceOff, box, boxOff, boxLen, out, outOff);
        Arrays.fill(boxKey, (byte) 0);
        return ok;
    }

    /**
     * Keys XSalsa20 with (key, nonce), that is Salsa20 with (HSalsa20(key, nonce[0..16)), nonce[16..24)), and
     * Poly1305 with the first 32 keystream bytes.
     */
    private void startStream(byte[] key, int keyOff, byte[] nonce, int nonceOff) {
        HSalsa20.hsalsa20(key, keyOff, nonce, nonceOff, streamKey, 0, coreWords);
        boxStream.start(streamKey, 0, nonce, nonceOff + 16);
        boxStream.xor(ZERO32, 0, 32, macKey, 0);
    }

    private void endStream() {
        Arrays.fill(streamKey, (byte) 0);
        Arrays.fill(macKey, (byte) 0);
        boxStream.clear();
    }

    private void seal(byte[] key, int keyOff, byte[] nonce, int nonceOff,
                      byte[] msg, int msgOff, int len, byte[] out, int outOff) {
        startStream(key, keyOff, nonce, nonceOff);
        boxStream.xor(msg, msgOff, len, out, outOff + BOX_MAC_BYTES);
        poly.mac(macKey, 0, out, outOff + BOX_MAC_BYTES, len, out, outOff);
        endStream();
    }

    private boolean open(byte[] key, int keyOff, byte[] nonce, int nonceOff,
                         byte[] box, int boxOff, int boxLen, byte[] out, int outOff) {
        startStream(key, keyOff, nonce, nonceOff);
        int len = boxLen - BOX_MAC_BYTES;
        poly.mac(macKey, 0, box, boxOff + BOX_MAC_BYTES, len, tag, 0);
        boolean ok = Poly1305x.tagsEqual(tag, 0, box, boxOff);
        if (ok) {
            boxStream.xor(box, boxOff + BOX_MAC_BYTES, len, out, outOff);
        }
        endStream();
        return ok;
    }

    // ---------------------------------------------------------------- random

    @Override
    public void randomBytes(byte[] out, int off, int len) {
        check(out, off, len, "output");
        while (len > 0) {
            int n = Math.min(len, randomScratch.length);
            random.nextBytes(randomScratch);
            System.arraycopy(randomScratch, 0, out, off, n);
            off += n;
            len -= n;
        }
        Arrays.fill(randomScratch, (byte) 0);
    }

    // ---------------------------------------------------------------- argument checks

    private static void check(byte[] a, int off, int len, String what) {
        if (a == null) {
            throw new CryptoException(what + " array is null; pass a byte array");
        }
        if (off < 0 || len < 0 || off > a.length - len) {
            throw new CryptoException(what + " range [" + off + ", " + off + "+" + len + ") does not fit an array of "
                    + a.length + " bytes; pass a larger array or a smaller offset");
        }
    }
}
