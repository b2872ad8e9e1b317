package org.clatter.clacks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.clatter.clacks.internal.Tls;

/**
 * A self-signed test certificate for {@code localhost} and {@code 127.0.0.1}, made once per JVM with the JDK's
 * {@code keytool} and exported as PEM (certificate and PKCS#8 key) by Java code: no openssl needed.
 */
public final class TestCerts {
    private static Path dir;

    private TestCerts() {
    }

    public record Files2(Path cert, Path key) {
    }

    public static synchronized Files2 get() {
        try {
            if (dir == null) {
                Path d = Files.createTempDirectory("clacks-test-certs");
                d.toFile().deleteOnExit();
                Path ks = d.resolve("ks.p12");
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "clacks", "-keyalg", "EC", "-groupname",
                        "secp256r1", "-validity", "7", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(ks)) {
                    store.load(in, "changeit".toCharArray());
                }
                X509Certificate cert = (X509Certificate) store.getCertificate("clacks");
                PrivateKey key = (PrivateKey) store.getKey("clacks", "changeit".toCharArray());
                Files.writeString(d.resolve("cert.pem"), Tls.pem(cert));
                Files.writeString(d.resolve("key.pem"), Tls.pem(key));
                for (Path f : List.of(ks, d.resolve("cert.pem"), d.resolve("key.pem"))) {
                    f.toFile().deleteOnExit();
                }
                dir = d;
            }
            return new Files2(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificate: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code cond} every 20 ms until it holds or {@code millis} pass. */
    public static boolean eventually(long millis, java.util.function.BooleanSupplier cond) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return cond.getAsBoolean();
    }
}
