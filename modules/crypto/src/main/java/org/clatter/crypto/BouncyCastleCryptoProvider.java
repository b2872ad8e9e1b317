package org.clatter.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.crypto.CryptoException;
import org.clatter.spi.crypto.CryptoProvider;
import org.clatter.spi.provider.Config;

/**
 * The default {@link CryptoProvider}, named {@code "bouncycastle"}: BouncyCastle's Ed25519 and X25519, the JDK's
 * SHA-512, and Clatter's own (X)Salsa20 and Poly1305.
 *
 * <p>Settings read by {@link #create(Config)}:
 * <ul>
 *   <li>{@value #BOX_KEY_CACHE}: how many {@code crypto_box} shared keys (one X25519 plus HSalsa20 each) an
 *       instance remembers per (public, secret) pair; default {@value #DEFAULT_BOX_KEY_CACHE}, 0 turns it off.</li>
 * </ul>
 */
public final class BouncyCastleCryptoProvider implements CryptoProvider {
    /** Provider name, the value of the {@code crypto} setting that selects it. */
    public static final String NAME = "bouncycastle";
    /** Setting: number of cached {@code crypto_box} shared keys per instance. */
    public static final String BOX_KEY_CACHE = "crypto.box_key_cache";
    static final int DEFAULT_BOX_KEY_CACHE = 8;

    /** Public for {@link java.util.ServiceLoader}; the provider holds no state. */
    public BouncyCastleCryptoProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "NaCl crypto_box/secretbox, Ed25519, X25519 on BouncyCastle low-level APIs; SHA-512 from the JDK";
    }

    @Override
    public boolean isAvailable() {
        return Availability.CAUSE.isEmpty();
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return Availability.CAUSE;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Crypto create(Config config) {
        if (!isAvailable()) {
            throw new CryptoException("crypto provider \"bouncycastle\" is unavailable: "
                    + Availability.CAUSE.orElseThrow()
                    + "; put bcprov-jdk18on (module org.bouncycastle.provider) on the module path");
        }
        int cache = config.getInt(BOX_KEY_CACHE, DEFAULT_BOX_KEY_CACHE);
        if (cache < 0 || cache > 4096) {
            throw new CryptoException("setting " + BOX_KEY_CACHE + "=" + cache + " must be between 0 and 4096");
        }
        return new BouncyCastleCrypto(cache);
    }

    /** Checked once: the BouncyCastle classes load and behave as this provider needs, and the JDK has SHA-512. */
    private static final class Availability {
        static final Optional<String> CAUSE = check();

        private static Optional<String> check() {
            ClassLoader loader = BouncyCastleCryptoProvider.class.getClassLoader();
            for (String cls : new String[] {
                    "org.bouncycastle.math.ec.rfc8032.Ed25519",
                    "org.bouncycastle.math.ec.rfc7748.X25519",
                    "org.bouncycastle.math.ec.rfc7748.X25519Field"}) {
                try {
                    Class.forName(cls, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    return Optional.of("BouncyCastle class " + cls + " cannot be loaded (" + e + ")");
                }
            }
            try {
                MessageDigest.getInstance("SHA-512");
            } catch (NoSuchAlgorithmException e) {
                return Optional.of("the JDK has no SHA-512 MessageDigest (" + e.getMessage() + ")");
            }
            return Optional.empty();
        }
    }
}
