package org.clatter.spi.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void typedGettersReadWhatWasSet() {
        qt().forAll(strings().basicLatinAlphabet().ofLengthBetween(1, 20), integers().all())
                .checkAssert((key, value) -> {
                    Config c = Config.empty().with(key, Integer.toString(value));
                    assertEquals(value, c.getInt(key, 0));
                    assertEquals((long) value, c.getLong(key, 0L));
                    assertEquals(Integer.toString(value), c.get(key).orElseThrow());
                });
    }

    @Test
    void malformedValuesNameTheKey() {
        Config c = Config.of("udp.port", "four", "udp.reuse_port", "maybe");
        var e = assertThrows(ProviderException.class, () -> c.getInt("udp.port", 4110));
        assertTrue(e.getMessage().contains("udp.port"), e.getMessage());
        assertThrows(ProviderException.class, () -> c.getBoolean("udp.reuse_port", false));
        assertEquals(4110, c.getInt("absent", 4110));
        assertTrue(Config.of("x", "on").getBoolean("x", false));
    }

    @Test
    void oddKeyValueListIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Config.of("a"));
    }
}
