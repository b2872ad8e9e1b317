package org.clatter.mdp;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared reference folder, {@code <checkout>/../shared}, found by walking up from the working directory. */
public final class SharedFolder {
    private SharedFolder() {
    }

    public static Path serval() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("clatterw")) && Files.isDirectory(d.resolve("spi"))) {
                Path serval = d.resolveSibling("shared").resolve("conformance").resolve("serval");
                if (!Files.isDirectory(serval)) {
                    fail("the shared reference folder " + serval + " is missing; it must sit next to the checkout "
                            + d + " (as ../shared) with conformance/serval/ from the project's reference data");
                }
                return serval;
            }
        }
        return fail("cannot find the Clatter checkout (a directory with clatterw and spi/) above " + dir
                + "; run the tests from inside the checkout so ../shared can be found");
    }

    public static byte[] read(String name) {
        try {
            return Files.readAllBytes(serval().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shared/conformance/serval/" + name, e);
        }
    }

    public static String readText(String name) {
        return new String(read(name), java.nio.charset.StandardCharsets.UTF_8);
    }
}
