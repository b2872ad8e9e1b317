package org.clatter.rhizome;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.clatter.spi.crypto.Crypto;

/**
 * Bundle secrets and the {@code BK} field ({@code serval-wire.md} §9.3): the BID is an Ed25519 public key, the
 * bundle secret its 32-byte seed, and {@code BK = seed XOR SHA-512(RS ‖ BID)[0..32)} with the author's
 * Rhizome Secret RS, so the author recovers the secret from any copy of the manifest.
 *
 * @param secret the 32-byte seed
 * @param bid    the 32-byte public key
 */
public record BundleKeys(byte[] secret, byte[] bid) {
    public BundleKeys {
        secret = secret.clone();
        bid = bid.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public byte[] bid() {
        return bid.clone();
    }

    /** A new random bundle key pair. */
    public static BundleKeys generate(Crypto crypto) {
        byte[] seed = new byte[32];
        crypto.randomBytes(seed, 0, 32);
        return ofSecret(seed, crypto);
    }

    public static BundleKeys ofSecret(byte[] seed, Crypto crypto) {
        byte[] pub = new byte[32];
        crypto.ed25519PublicKey(seed, 0, pub, 0);
        return new BundleKeys(seed, pub);
    }

    /** The BK field value for these keys and the author's Rhizome Secret. */
    public byte[] bk(byte[] rhizomeSecret) {
        return xorWithMask(secret, rhizomeSecret, bid);
    }

    /**
     * Recovers the bundle secret from a manifest's {@code BK} with a Rhizome Secret: present only if the
     * recovered seed's public key equals the BID (so the RS was the author's).
     */
    public static Optional<BundleKeys> recover(Manifest m, byte[] rhizomeSecret, Crypto crypto) {
        Optional<byte[]> bk = m.bk();
        if (bk.isEmpty() || rhizomeSecret.length == 0) {
            return Optional.empty();
        }
        byte[] seed = xorWithMask(bk.get(), rhizomeSecret, m.id());
        BundleKeys k = ofSecret(seed, crypto);
        return Arrays.equals(k.bid, m.id()) ? Optional.of(k) : Optional.empty();
    }

    private static byte[] xorWithMask(byte[] value, byte[] rs, byte[] bid) {
        MessageDigest md = Manifest.sha512();
        md.update(rs);
        md.update(bid);
        byte[] mask = md.digest();
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) (value[i] ^ mask[i]);
        }
        return out;
    }
}
