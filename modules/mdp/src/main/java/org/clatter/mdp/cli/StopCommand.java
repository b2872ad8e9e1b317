package org.clatter.mdp.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** {@code clatter stop}: stops the node running in the instance directory. */
public final class StopCommand {
    private StopCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return NodeClient.forward("stop", args, out, err);
    }
}
