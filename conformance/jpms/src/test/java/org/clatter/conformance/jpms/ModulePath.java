package org.clatter.conformance.jpms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The module path the build assembled, and a way to run {@code clatter} on it in a child JVM. */
final class ModulePath {
    private ModulePath() {
    }

    static Path dir() {
        Path p = Path.of(System.getProperty("clatter.modules", "target/modules"));
        assertTrue(Files.isDirectory(p), "module path directory " + p + " is missing: run through Maven");
        return p;
    }

    static List<Path> jars() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    static Path work(String name) throws IOException {
        Path p = Path.of(System.getProperty("clatter.work", "target/jpms-work")).resolve(name);
        Files.createDirectories(p);
        return p;
    }

    record Result(int status, String out, String err) {
    }

    /** Runs {@code java --module-path <modules>[:extra] -m org.clatter.tools.cli/...Clatter args} with no class path. */
    static Result clatter(List<Path> extraModules, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder mp = new StringBuilder(dir().toString());
        for (Path p : extraModules) {
            mp.append(File.pathSeparator).append(p);
        }
        List<String> cmd = new ArrayList<>(List.of(java, "--module-path", mp.toString(),
                "-m", "org.clatter.tools.cli/org.clatter.tools.cli.Clatter"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Path out = Files.createTempFile("clatter-out", ".txt");
        Path err = Files.createTempFile("clatter-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("clatter " + String.join(" ", args) + " did not finish in 60 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
