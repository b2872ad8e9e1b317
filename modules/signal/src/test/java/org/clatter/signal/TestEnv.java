package org.clatter.signal;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is (for the Node drivers). */
final class TestEnv {
    private TestEnv() {
    }

    static Path root() {
        String prop = System.getProperty("clatter.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "conformance/signal-interop"))) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conformance/signal-interop"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new AssertionError("cannot find conformance/signal-interop above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
