package org.clatter.conformance.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code clatter providers} on the module path with an empty class path finds every shipped provider. */
class ProvidersOnModulePathTest {

    @Test
    void everyShippedProviderIsDiscoverableAndAvailable() throws Exception {
        ModulePath.Result r = ModulePath.clatter(List.of(), "providers");
        assertEquals(0, r.status(), r.err());
        String text = r.out();
        assertTrue(text.matches("(?s).*\\n  udp\\tavailable\\t.*\\(org\\.clatter\\.transport\\.udp\\).*"), text);
        assertTrue(text.matches("(?s).*\\n  sim\\tavailable\\t.*\\(org\\.clatter\\.transport\\.sim\\).*"), text);
        assertTrue(text.matches("(?s).*\\n  bouncycastle\\tavailable\\t.*\\(org\\.clatter\\.crypto\\).*"), text);
    }

    @Test
    void theBestAvailableProviderIsChosenWhenNoneIsNamed() throws Exception {
        ModulePath.Result r = ModulePath.clatter(List.of(), "providers", "--select", "crypto");
        assertEquals(0, r.status(), r.err());
        assertEquals("crypto: bouncycastle (org.clatter.crypto)", r.out().strip());
    }
}
