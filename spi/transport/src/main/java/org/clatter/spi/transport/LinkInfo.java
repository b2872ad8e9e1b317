package org.clatter.spi.transport;

import java.time.Duration;

/**
 * What a link is, as the routing and queueing layers need to know it.
 *
 * @param name          a human name, e.g. {@code "udp:127.1.0.1/24:4110"}
 * @param kind          the transport kind, e.g. {@code "udp"}
 * @param mtu           largest frame, in bytes, that {@link Link#send} accepts
 * @param bitRate       nominal bits per second of the medium (0 when unknown or unlimited)
 * @param broadcast     whether {@link Link#broadcast} reaches other nodes
 * @param pointToPoint  whether exactly one peer is on the other end (a serial radio pair, a Bluetooth link)
 * @param duplex        whether the link both sends and receives (false for one-way carriers)
 * @param maxLatency    the worst delivery latency to plan retransmission around
 * @param idleTimeout   how long the link may be silent before the peer considers it gone
 * @param mustPoll      whether the link only discovers peers when polled (some radios), rather than by listening
 */
public record LinkInfo(
        String name,
        String kind,
        int mtu,
        long bitRate,
        boolean broadcast,
        boolean pointToPoint,
        boolean duplex,
        Duration maxLatency,
        Duration idleTimeout,
        boolean mustPoll) {

    public LinkInfo {
        if (mtu <= 0) {
            throw new IllegalArgumentException("mtu must be positive: " + mtu);
        }
        if (bitRate < 0) {
            throw new IllegalArgumentException("bitRate must not be negative: " + bitRate);
        }
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(maxLatency, "maxLatency");
        java.util.Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
