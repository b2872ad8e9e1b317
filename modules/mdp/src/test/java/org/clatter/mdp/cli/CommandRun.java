package org.clatter.mdp.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a command's entry point with empty stdin and captures its exit code, stdout and stderr. */
final class CommandRun {
    private CommandRun() {
    }

    /** A command's entry point, as {@code clatter} calls it. */
    interface Cmd {
        int run(String[] args, InputStream in, PrintStream out, PrintStream err);
    }

    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Result run(Cmd cmd, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = cmd.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(o, true,
                StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
