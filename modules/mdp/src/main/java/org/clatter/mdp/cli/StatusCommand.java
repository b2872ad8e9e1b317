package org.clatter.mdp.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;
import org.clatter.mdp.node.ControlClient;
import org.clatter.mdp.node.Instance;

/** {@code clatter status}: {@code status:running} and the node's details, or {@code status:stopped} (exit 1). */
public final class StatusCommand {
    private StatusCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Instance instance = Args.parse(args, Set.of("instance", "pin")).instance();
        if (!ControlClient.answers(instance.controlSocket())) {
            out.println("status:stopped");
            out.println("instance:" + instance.dir());
            return 1;
        }
        return NodeClient.forward("status", args, out, err);
    }
}
