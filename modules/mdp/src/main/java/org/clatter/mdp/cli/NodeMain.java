package org.clatter.mdp.cli;

import java.util.Arrays;

/**
 * The entry point {@code clatter start} spawns: {@code java -m org.clatter.mdp/org.clatter.mdp.cli.NodeMain run
 * ARGS} runs {@link RunCommand} and exits with its status. It needs only this module and the providers it uses,
 * so a node starts the same from the runtime image and from a module path.
 */
public final class NodeMain {
    private NodeMain() {
    }

    public static void main(String[] args) {
        int status;
        if (args.length == 0 || !args[0].equals("run")) {
            System.err.println("usage: java -m org.clatter.mdp/org.clatter.mdp.cli.NodeMain run --interface ...");
            status = 2;
        } else {
            try {
                status = RunCommand.run(Arrays.copyOfRange(args, 1, args.length), System.in, System.out, System.err);
            } catch (RuntimeException e) {
                System.err.println("clatter run: " + e.getMessage());
                status = 1;
            }
        }
        System.out.flush();
        System.exit(status);
    }
}
