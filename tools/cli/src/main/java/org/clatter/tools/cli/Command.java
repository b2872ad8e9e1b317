package org.clatter.tools.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** One {@code clatter} sub-command: arguments after its name in, exit status out. */
@FunctionalInterface
public interface Command {
    int run(String[] args, InputStream in, PrintStream out, PrintStream err);
}
