package org.clatter.tools.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jlink image runs on its own: its launcher works and finds the shipped providers. */
class ImageIT {
    private static final Path IMAGE = Path.of(System.getProperty("clatter.image", "target/clatter-image"));

    private static String run(String... args) throws IOException, InterruptedException {
        var cmd = new java.util.ArrayList<String>();
        cmd.add(IMAGE.resolve("bin/clatter").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "clatter did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void versionRunsFromTheImage() throws Exception {
        assertTrue(run("--version").startsWith("clatter 0."));
    }

    @Test
    void providersFromTheImageListTheTransportsAndTheCryptoProvider() throws Exception {
        String out = run("providers");
        assertTrue(out.contains("  udp\tavailable"), out);
        assertTrue(out.contains("  sim\tavailable"), out);
        assertTrue(out.contains("  bouncycastle\tavailable"), out);
    }

    @Test
    void theImageHoldsNoJarsAndOnlyItsOwnRuntime() throws Exception {
        try (Stream<Path> s = Files.walk(IMAGE)) {
            assertTrue(s.noneMatch(f -> f.toString().endsWith(".jar") && !f.endsWith("lib/jrt-fs.jar")),
                    "a jlink image holds modules, not jars (only the JDK's own jrt-fs.jar)");
        }
        String modules = Files.readString(IMAGE.resolve("release"));
        assertTrue(modules.contains("org.clatter.tools.cli"), modules);
    }
}
