package org.clatter.spi.routing;

/**
 * What a node learnt about one of its own links to a neighbour: the neighbour, the local interface, and the
 * measured delivery in both directions.
 *
 * @param neighbour       the node heard
 * @param interfaceId     our interface it was heard on (transport-defined small integer)
 * @param linkAddress     the neighbour's link-layer address, as text
 * @param unicast         whether unicast to the neighbour has been confirmed
 * @param receivedRatio   fraction of the neighbour's expected packets we received lately, 0..1
 * @param deliveredRatio  fraction of our packets the neighbour reports having received, 0..1
 * @param observedAtNanos the time of the observation on the node's clock
 */
public record LinkObservation(
        NodeId neighbour,
        int interfaceId,
        String linkAddress,
        boolean unicast,
        double receivedRatio,
        double deliveredRatio,
        long observedAtNanos) {
}
