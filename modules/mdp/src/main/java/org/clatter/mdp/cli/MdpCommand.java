package org.clatter.mdp.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** {@code clatter mdp ping SID|broadcast [COUNT] [--interval S] [--timeout S]} (a line per echo reply with its round-trip time; exit 0 when any reply came) and {@code clatter mdp trace SID} (the hops to SID). */
public final class MdpCommand {
    private MdpCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return NodeClient.forward("mdp", args, out, err);
    }
}
