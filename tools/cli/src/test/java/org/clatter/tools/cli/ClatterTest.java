package org.clatter.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClatterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Clatter().run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("clatter \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*\\)\\R"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(Clatter.USAGE, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
    }

    @Test
    void noArgumentsPrintsUsage() {
        assertEquals(Clatter.USAGE, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: clatter"));
    }

    @Test
    void providersListsEverySpiSection() {
        assertEquals(0, run("providers"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String spi : new String[] {"transport:", "crypto:", "routing:", "storage:", "node services:"}) {
            assertTrue(text.contains(spi), text);
        }
        assertTrue(text.contains("  msp (org.clatter.msp)") && text.contains("  rhizome (org.clatter.rhizome)"), text);
    }

    @Test
    void selectingAnUnknownProviderExplainsAndFails() {
        assertEquals(1, run("providers", "--select", "transport=carrier-pigeon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no TransportProvider named 'carrier-pigeon'"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void selectingAnUnknownSpiIsAUsageError() {
        assertEquals(Clatter.USAGE, run("providers", "--select", "teleport"));
    }
}
