package org.clatter.mdp.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code clatter dna lookup DID [TIMEOUT_SECONDS]}: a signed broadcast to port 10; prints one
 * {@code sid://SID/local/DID:DID:NAME} line per answer (exit 1 when none came). Answered by the running node.
 */
public final class DnaCommand {
    private DnaCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return NodeClient.forward("dna", args, out, err);
    }
}
