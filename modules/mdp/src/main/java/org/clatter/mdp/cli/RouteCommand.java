package org.clatter.mdp.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** {@code clatter route print}: the node's routing table, one {@code SID:REACHABILITY:INTERFACE:NEXT_HOP:HOPS:COST} line per node. */
public final class RouteCommand {
    private RouteCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return NodeClient.forward("route", args, out, err);
    }
}
