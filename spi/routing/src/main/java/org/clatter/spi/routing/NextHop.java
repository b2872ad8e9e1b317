package org.clatter.spi.routing;

/**
 * Where to send a packet for a destination.
 *
 * @param destination  the final destination
 * @param neighbour    the direct neighbour to hand it to (the destination itself when one hop)
 * @param interfaceId  our interface to send it on
 * @param linkAddress  the neighbour's link-layer address on that interface, as text
 * @param hops         hop count along the chosen path
 * @param cost         path cost in the router's metric (lower is better)
 */
public record NextHop(NodeId destination, NodeId neighbour, int interfaceId, String linkAddress, int hops,
                      double cost) {
}
