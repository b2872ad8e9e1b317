package org.clatter.mdp;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.crypto.CryptoProvider;
import org.clatter.spi.provider.Config;

/** Finds the crypto provider with {@link ServiceLoader}: the available one with the highest priority. */
public final class MdpCrypto {
    private MdpCrypto() {
    }

    /**
     * A new {@link Crypto} instance (not thread-safe; one per thread).
     *
     * @throws MdpException when no provider is available, listing every candidate and why it is unavailable
     */
    public static Crypto load() {
        CryptoProvider best = null;
        List<String> why = new ArrayList<>();
        for (CryptoProvider p : ServiceLoader.load(CryptoProvider.class)) {
            if (!p.isAvailable()) {
                why.add(p.name() + ": " + p.unavailabilityCause().orElse("unavailable"));
            } else if (best == null || p.priority() > best.priority()) {
                best = p;
            }
        }
        if (best == null) {
            throw new MdpException("no crypto provider is available; put clatter-crypto (module org.clatter.crypto) "
                    + "on the module path" + (why.isEmpty() ? "" : " (candidates: " + String.join("; ", why) + ")"));
        }
        return best.create(Config.empty());
    }
}
