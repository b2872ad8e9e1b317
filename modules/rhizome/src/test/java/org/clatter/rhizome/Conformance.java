package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clatter.spi.crypto.Crypto;

/** Locates {@code <checkout>/../shared/conformance/serval} by walking up from the working directory; fails if absent. */
final class Conformance {
    private Conformance() {
    }

    static Path serval() {
        Path d = Path.of("").toAbsolutePath();
        for (Path p = d; p != null; p = p.getParent()) {
            Path c = p.resolve("shared/conformance/serval");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        fail("conformance data not found: no shared/conformance/serval above " + d
                + "; check out the shared folder next to the repository (<checkout>/../shared)");
        throw new AssertionError();
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(serval().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RhizomeIdentity identity(String dump, Crypto crypto) {
        try {
            List<RhizomeIdentity> ids = RhizomeIdentity.parseKeyringDump(Files.readString(serval().resolve(dump)));
            return ids.getFirst().withDerivedSid(crypto);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
