package org.clatter.mdp;

import org.clatter.spi.crypto.Crypto;

/** The crypto the tests use: whatever provider {@link MdpCrypto} finds (clatter-crypto is a test dependency). */
public final class TestCrypto {
    private TestCrypto() {
    }

    public static Crypto get() {
        return MdpCrypto.load();
    }
}
