package org.clatter.clacks.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.clatter.clacks.ClacksException;

/** PEM certificates and PKCS#8 keys (java.security only), and the SSL contexts built from them. */
public final class Tls {
    private static final char[] NO_PASSWORD = new char[0];

    private Tls() {
    }

    public static List<X509Certificate> certificates(Path pem) {
        byte[] bytes = read(pem, "certificate");
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ClacksException(pem + " holds no certificate; expected PEM '-----BEGIN CERTIFICATE-----'");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new ClacksException(pem + " is not a PEM X.509 certificate: " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(Path pem) {
        String text = new String(read(pem, "private key"), StandardCharsets.US_ASCII);
        if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
            throw new ClacksException(pem + " is a PKCS#1/SEC1 key; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        if (text.contains("ENCRYPTED PRIVATE KEY")) {
            throw new ClacksException(pem + " is encrypted; give an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        int b = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = text.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            throw new ClacksException(pem + " holds no PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(b + 27, e));
        } catch (IllegalArgumentException ex) {
            throw new ClacksException(pem + ": the key is not valid base64", ex);
        }
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new ClacksException(pem + ": unsupported key type; use an RSA, EC or Ed25519 PKCS#8 key");
    }

    /** Writes a certificate as PEM. */
    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new ClacksException("cannot encode certificate", e);
        }
    }

    /** Writes a private key as PEM PKCS#8. */
    public static String pem(PrivateKey k) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(k.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    public static SSLContext serverContext(Path certPem, Path keyPem) {
        List<X509Certificate> chain = certificates(certPem);
        PrivateKey key = privateKey(keyPem);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("clacks", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ClacksException("the TLS key in " + keyPem + " does not fit the certificate in " + certPem
                    + ": " + e.getMessage(), e);
        }
    }

    /** Trusts the certificates in {@code trustPem}, or the system store when empty. */
    public static SSLContext clientContext(Optional<Path> trustPem) {
        try {
            if (trustPem.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates(trustPem.get())) {
                ts.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ClacksException("cannot build a TLS client from " + trustPem.orElse(Path.of("(system store)"))
                    + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path p, String what) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ClacksException("cannot read the " + what + " file " + p + ": " + e.getMessage(), e);
        }
    }
}
