package org.clatter.mdp.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** {@code clatter id self} (this node's SIDs) and {@code clatter id peers} (one reachable SID per line). */
public final class IdCommand {
    private IdCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return NodeClient.forward("id", args, out, err);
    }
}
