package org.clatter.spi.routing;

/** How a node can be reached, as servald classifies it. */
public enum Reachability {
    /** Not reachable now. */
    NONE,
    /** This node itself. */
    SELF,
    /** A direct neighbour heard only by broadcast so far (no confirmed unicast path). */
    BROADCAST,
    /** A direct neighbour reached by unicast on one of our links. */
    UNICAST,
    /** Reached through another node (the next hop). */
    INDIRECT;

    /** Whether packets addressed to the node can be sent now. */
    public boolean reachable() {
        return this != NONE;
    }
}
