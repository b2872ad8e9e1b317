package org.clatter.mdp.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.clatter.mdp.node.ControlClient;
import org.clatter.mdp.node.Instance;

/** Sends a command to the node running in the instance directory. */
final class NodeClient {
    private NodeClient() {
    }

    static int forward(String command, String[] args, PrintStream out, PrintStream err) {
        Instance instance = Args.parse(args, Set.of("instance", "pin", "interval", "timeout")).instance();
        List<String> request = new ArrayList<>(List.of(command.split(" ")));
        request.addAll(Args.forwardable(args));
        return ControlClient.run(instance.controlSocket(), request, out, err);
    }
}
