package org.clatter.rhizome;

import java.util.Comparator;
import java.util.ServiceLoader;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.crypto.CryptoProvider;
import org.clatter.spi.provider.Config;

/** Finds a {@link Crypto} through the crypto SPI ({@link ServiceLoader}): {@code "bouncycastle"} if present, else the best available. */
public final class RhizomeCrypto {
    private RhizomeCrypto() {
    }

    /**
     * A new Crypto instance (not thread-safe; one per thread).
     *
     * @throws RhizomeException when no crypto provider module is on the module path
     */
    public static Crypto create() {
        return ServiceLoader.load(CryptoProvider.class, RhizomeCrypto.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(CryptoProvider::isAvailable)
                .max(Comparator.comparingInt((CryptoProvider p) -> p.name().equals("bouncycastle") ? 1 : 0)
                        .thenComparingInt(CryptoProvider::priority))
                .map(p -> p.create(Config.empty()))
                .orElseThrow(() -> new RhizomeException(
                        "no crypto provider found: put the org.clatter.crypto module (clatter-crypto) on the module path"));
    }
}
