package org.clatter.spi.crypto;

import org.clatter.spi.provider.Config;
import org.clatter.spi.provider.ServiceProvider;

/** Creates {@link Crypto} instances; the default provider is {@code "bouncycastle"} in {@code modules/crypto}. */
public interface CryptoProvider extends ServiceProvider {

    /** A new, independent crypto instance (each holds its own scratch space; use one per thread). */
    Crypto create(Config config);
}
