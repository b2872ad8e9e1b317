package org.clatter.clacks;

/**
 * A snapshot of one peer-table entry.
 *
 * @param statusSinceNanos when the status last changed, on the node's monotonic clock
 * @param inFlight         requests to this peer not answered yet
 */
public record Peer(PeerAddress address, PeerStatus status, long statusSinceNanos, int inFlight) {
}
