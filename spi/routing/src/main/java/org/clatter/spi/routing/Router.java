package org.clatter.spi.routing;

import java.util.List;
import java.util.Optional;

/**
 * A node's routing table. Single-threaded: called only from the node's engine thread. Time comes in as
 * arguments (sans-I/O), so the same router runs on real and virtual clocks.
 */
public interface Router {

    /** The node this router belongs to. */
    NodeId self();

    /** Our own link to a neighbour was measured. */
    void linkObserved(LinkObservation observation);

    /** A neighbour told us about one of its links. */
    void advertReceived(LinkStateAdvert advert);

    /** A neighbour went silent past its timeout on an interface. */
    void neighbourLost(NodeId neighbour, int interfaceId, long nowNanos);

    /** Recomputes paths if anything changed; returns true when any next hop changed. */
    boolean recompute(long nowNanos);

    /** The next hop for a destination, if it is reachable. */
    Optional<NextHop> nextHop(NodeId destination);

    /** How a node is reachable now. */
    Reachability reachability(NodeId destination);

    /** Every node known to the router, with its reachability (self included). */
    List<RouteEntry> table();

    /** One row of {@link #table()}. */
    record RouteEntry(NodeId node, Reachability reachability, Optional<NextHop> nextHop) {
    }
}
