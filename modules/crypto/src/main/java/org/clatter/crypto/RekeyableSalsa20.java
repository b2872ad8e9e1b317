package org.clatter.crypto;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * BouncyCastle's Salsa20 with a re-key that allocates nothing. {@code init(...)} goes through
 * {@code CryptoServicesRegistrar.checkConstraints}, which allocates a properties object per call (C2's escape
 * analysis removes it only once the caller is compiled); re-keying per packet uses the engine's own
 * {@code setKey} and {@code reset} instead, after one {@code init} at construction. The constraints check
 * (BouncyCastle's crypto policy hook) therefore runs once per engine, for a 256-bit Salsa20 key, as every
 * later key is.
 */
final class RekeyableSalsa20 extends Salsa20Engine {

    RekeyableSalsa20() {
        init(true, new ParametersWithIV(new KeyParameter(new byte[32]), new byte[8]));
    }

    /** Starts the keystream of (32-byte key, 8-byte nonce) at block 0. */
    void rekey(byte[] key32, byte[] nonce8) {
        setKey(key32, nonce8);
        reset();
    }
}
