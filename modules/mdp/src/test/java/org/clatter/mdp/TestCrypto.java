package org.clatter.mdp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.clatter.mdp.internal.crypto.XSalsa20;
import org.clatter.spi.crypto.Crypto;

/**
 * The crypto the tests use: the real provider when one is on the module path, else a small BouncyCastle-backed
 * stand-in (test scope only) so this module's tests do not wait for {@code modules/crypto}.
 */
public final class TestCrypto implements Crypto {
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private final SecureRandom random = new SecureRandom();

    private TestCrypto() {
    }

    public static Crypto get() {
        try {
            return MdpCrypto.load();
        } catch (MdpException e) {
            return new TestCrypto();
        }
    }

    @Override
    public void sha512(byte[] in, int inOff, int len, byte[] out, int outOff) {
        SHA512Digest d = new SHA512Digest();
        d.update(in, inOff, len);
        d.doFinal(out, outOff);
    }

    @Override
    public void ed25519PublicKey(byte[] seed, int seedOff, byte[] pub, int pubOff) {
        Ed25519.generatePublicKey(seed, seedOff, pub, pubOff);
    }

    @Override
    public void ed25519Sign(byte[] seed, int seedOff, byte[] pub, int pubOff, byte[] msg, int msgOff, int msgLen,
                            byte[] sig, int sigOff) {
        Ed25519.sign(seed, seedOff, pub, pubOff, msg, msgOff, msgLen, sig, sigOff);
    }

    @Override
    public boolean ed25519Verify(byte[] pub, int pubOff, byte[] msg, int msgOff, int msgLen, byte[] sig, int sigOff) {
        try {
            return Ed25519.verify(sig, sigOff, pub, pubOff, msg, msgOff, msgLen);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void x25519PublicKey(byte[] secret, int secretOff, byte[] pub, int pubOff) {
        X25519.scalarMultBase(secret, secretOff, pub, pubOff);
    }

    @Override
    public boolean x25519(byte[] secret, int secretOff, byte[] pub, int pubOff, byte[] out, int outOff) {
        return X25519.calculateAgreement(secret, secretOff, pub, pubOff, out, outOff);
    }

    @Override
    public boolean ed25519PublicToX25519(byte[] edPub, int edPubOff, byte[] xPub, int xPubOff) {
        byte[] le = Arrays.copyOfRange(edPub, edPubOff, edPubOff + 32);
        le[31] &= 0x7f;
        BigInteger y = new BigInteger(1, reverse(le));
        if (y.compareTo(P) >= 0 || y.equals(BigInteger.ONE)) {
            return false;
        }
        BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
        byte[] be = u.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        System.arraycopy(out, 0, xPub, xPubOff, 32);
        return true;
    }

    private static byte[] reverse(byte[] a) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    @Override
    public void ed25519SeedToX25519Secret(byte[] seed, int seedOff, byte[] xSecret, int xSecretOff) {
        byte[] h = new byte[64];
        sha512(seed, seedOff, 32, h, 0);
        h[0] &= (byte) 248;
        h[31] &= 127;
        h[31] |= 64;
        System.arraycopy(h, 0, xSecret, xSecretOff, 32);
    }

    @Override
    public void hsalsa20(byte[] key, int keyOff, byte[] in, int inOff, byte[] out, int outOff) {
        XSalsa20.hsalsa20(Arrays.copyOfRange(key, keyOff, keyOff + 32), in, inOff, out, outOff);
    }

    @Override
    public boolean boxBeforeNm(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] key, int keyOff) {
        byte[] s = new byte[32];
        if (!x25519(secret, secretOff, pub, pubOff, s, 0)) {
            return false;
        }
        hsalsa20(s, 0, new byte[16], 0, key, keyOff);
        return true;
    }

    @Override
    public void secretBox(byte[] key, int keyOff, byte[] nonce, int nonceOff, byte[] msg, int msgOff, int len,
                          byte[] out, int outOff) {
        byte[] buf = new byte[32 + len];
        System.arraycopy(msg, msgOff, buf, 32, len);
        XSalsa20.xor(Arrays.copyOfRange(key, keyOff, keyOff + 32), Arrays.copyOfRange(nonce, nonceOff, nonceOff + 24),
                buf, 0, buf.length);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(buf, 0, 32));
        mac.update(buf, 32, len);
        mac.doFinal(out, outOff);
        System.arraycopy(buf, 32, out, outOff + 16, len);
    }

    @Override
    public boolean secretBoxOpen(byte[] key, int keyOff, byte[] nonce, int nonceOff, byte[] box, int boxOff,
                                 int boxLen, byte[] out, int outOff) {
        if (boxLen < 16) {
            return false;
        }
        int len = boxLen - 16;
        byte[] buf = new byte[32 + len];
        System.arraycopy(box, boxOff + 16, buf, 32, len);
        byte[] k = Arrays.copyOfRange(key, keyOff, keyOff + 32);
        byte[] n = Arrays.copyOfRange(nonce, nonceOff, nonceOff + 24);
        byte[] ks = new byte[32];
        XSalsa20.xor(k, n, ks, 0, 32);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(ks, 0, 32));
        mac.update(box, boxOff + 16, len);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        if (!java.security.MessageDigest.isEqual(tag, Arrays.copyOfRange(box, boxOff, boxOff + 16))) {
            return false;
        }
        XSalsa20.xor(k, n, buf, 0, buf.length);
        System.arraycopy(buf, 32, out, outOff, len);
        return true;
    }

    @Override
    public boolean box(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] nonce, int nonceOff, byte[] msg,
                       int msgOff, int len, byte[] out, int outOff) {
        byte[] k = new byte[32];
        if (!boxBeforeNm(pub, pubOff, secret, secretOff, k, 0)) {
            return false;
        }
        secretBox(k, 0, nonce, nonceOff, msg, msgOff, len, out, outOff);
        return true;
    }

    @Override
    public boolean boxOpen(byte[] pub, int pubOff, byte[] secret, int secretOff, byte[] nonce, int nonceOff, byte[] box,
                           int boxOff, int boxLen, byte[] out, int outOff) {
        byte[] k = new byte[32];
        return boxBeforeNm(pub, pubOff, secret, secretOff, k, 0)
                && secretBoxOpen(k, 0, nonce, nonceOff, box, boxOff, boxLen, out, outOff);
    }

    @Override
    public void randomBytes(byte[] out, int off, int len) {
        byte[] b = new byte[len];
        random.nextBytes(b);
        System.arraycopy(b, 0, out, off, len);
    }
}
