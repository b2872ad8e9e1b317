package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ServiceLoader;

import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.crypto.CryptoException;
import org.clatter.spi.crypto.CryptoProvider;
import org.clatter.spi.provider.Config;
import org.junit.jupiter.api.Test;

class ProviderTest {

    @Test
    void isFoundThroughServiceLoaderAndAvailable() {
        // The module declares no `uses` (it only provides); the test, patched into it, adds one for itself.
        getClass().getModule().addUses(CryptoProvider.class);
        CryptoProvider p = ServiceLoader.load(CryptoProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(c -> c.name().equals("bouncycastle"))
                .findFirst().orElseThrow(() -> new AssertionError("provider \"bouncycastle\" not found"));
        assertTrue(p.isAvailable(), () -> p.unavailabilityCause().orElse("?"));
        assertTrue(p.unavailabilityCause().isEmpty());
        assertTrue(p instanceof BouncyCastleCryptoProvider);
        assertTrue(getClass().getModule().getDescriptor().provides().stream()
                .anyMatch(d -> d.service().equals(CryptoProvider.class.getName())
                        && d.providers().contains(BouncyCastleCryptoProvider.class.getName())));
    }

    @Test
    void instancesAreIndependent() {
        var p = new BouncyCastleCryptoProvider();
        Crypto a = p.create(Config.empty());
        Crypto b = p.create(Config.empty());
        assertTrue(a != b);
    }

    @Test
    void badCacheSettingIsRefusedWithItsName() {
        var p = new BouncyCastleCryptoProvider();
        var e = assertThrows(CryptoException.class,
                () -> p.create(Config.of(BouncyCastleCryptoProvider.BOX_KEY_CACHE, "-1")));
        assertTrue(e.getMessage().contains(BouncyCastleCryptoProvider.BOX_KEY_CACHE), e.getMessage());
    }

    @Test
    void rangesThatDoNotFitAreMisuseWithAClearMessage() {
        Crypto c = new BouncyCastleCryptoProvider().create(Config.empty());
        qt().withExamples(200).forAll(integers().between(-40, 40), integers().between(-40, 40))
                .checkAssert((off, len) -> {
                    byte[] buf = new byte[32];
                    boolean fits = off >= 0 && len >= 0 && off + len <= 32;
                    if (fits) {
                        c.sha512(buf, off, len, new byte[64], 0);
                    } else {
                        var e = assertThrows(CryptoException.class, () -> c.sha512(buf, off, len, new byte[64], 0));
                        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
                    }
                    byte[] out = new byte[Math.max(0, len)];
                    int boxLen = Math.max(0, len) + 16;
                    if (off < 0 || off > 64 - boxLen) {
                        assertThrows(CryptoException.class,
                                () -> c.secretBoxOpen(buf, 0, new byte[24], 0, new byte[64], off, boxLen, out, 0));
                    }
                });
    }
}
