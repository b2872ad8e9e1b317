package org.clatter.clacks.engine;

import java.util.HexFormat;
import java.util.Optional;
import java.util.ServiceLoader;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.crypto.CryptoProvider;
import org.clatter.spi.provider.Config;

/**
 * Ed25519 through the crypto SPI, found with {@link ServiceLoader} (the {@code bouncycastle} provider of
 * {@code modules/crypto}). Optional: without a provider, nodes run unsigned. Not thread-safe (the SPI's instances
 * are not); the node calls it under its engine lock.
 */
public final class Ed25519Signer implements MessageSigner {
    private static final HexFormat HEX = HexFormat.of();
    private final Crypto crypto;
    private final byte[] seed = new byte[Crypto.ED25519_SEED_BYTES];
    private final byte[] pub = new byte[Crypto.ED25519_PUBLIC_BYTES];
    private final byte[] sig = new byte[Crypto.ED25519_SIGNATURE_BYTES];

    private Ed25519Signer(Crypto crypto) {
        this.crypto = crypto;
        crypto.randomBytes(seed, 0, seed.length);
        crypto.ed25519PublicKey(seed, 0, pub, 0);
    }

    /** A signer with a fresh key from the best available crypto provider, or a reason why there is none. */
    public static Optional<MessageSigner> load(ModuleLayer layer) {
        ServiceLoader<CryptoProvider> loader = ServiceLoader.load(layer, CryptoProvider.class);
        return loader.stream().map(ServiceLoader.Provider::get).filter(CryptoProvider::isAvailable)
                .max(java.util.Comparator.comparingInt(CryptoProvider::priority))
                .map(p -> new Ed25519Signer(p.create(Config.empty())));
    }

    /** As {@link #load(ModuleLayer)} on the layer this module is in, then the class path. */
    public static Optional<MessageSigner> load() {
        ModuleLayer layer = Ed25519Signer.class.getModule().getLayer();
        Optional<MessageSigner> s = layer == null ? Optional.empty() : load(layer);
        if (s.isPresent()) {
            return s;
        }
        return ServiceLoader.load(CryptoProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(CryptoProvider::isAvailable).max(java.util.Comparator.comparingInt(CryptoProvider::priority))
                .map(p -> new Ed25519Signer(p.create(Config.empty())));
    }

    /** A signer over a given crypto instance (tests, or a caller that already chose a provider). */
    public static MessageSigner of(Crypto crypto) {
        return new Ed25519Signer(crypto);
    }

    @Override
    public String publicKeyHex() {
        return HEX.formatHex(pub);
    }

    @Override
    public String sign(byte[] data) {
        crypto.ed25519Sign(seed, 0, pub, 0, data, 0, data.length, sig, 0);
        return HEX.formatHex(sig);
    }

    @Override
    public boolean verify(String pubHex, byte[] data, String sigHex) {
        try {
            byte[] p = HEX.parseHex(pubHex);
            byte[] s = HEX.parseHex(sigHex);
            if (p.length != Crypto.ED25519_PUBLIC_BYTES || s.length != Crypto.ED25519_SIGNATURE_BYTES) {
                return false;
            }
            return crypto.ed25519Verify(p, 0, data, 0, data.length, s, 0);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
