package org.clatter.transport.sim;

import java.time.Duration;

/**
 * How one direction of a simulated link behaves. Immutable; derive variants with the {@code with*} methods
 * from {@link #ideal()}.
 *
 * @param loss          probability in [0, 1] that a frame is lost
 * @param latency       fixed propagation delay
 * @param jitter        extra delay drawn uniformly from [0, jitter] per frame
 * @param bitRate       bits per second; frames are serialised one after another through a queue per direction
 *                      (0 = unlimited, no serialisation delay)
 * @param mtu           largest frame the link carries; larger frames are dropped and counted
 * @param duplicate     probability in [0, 1] that a frame is delivered twice
 * @param reorder       probability in [0, 1] that a frame is delayed by {@code reorderDelay} extra, so later
 *                      frames overtake it
 * @param reorderDelay  the extra delay of a reordered frame
 * @param broadcast     whether broadcasts cross this link (false for point-to-point carriers)
 * @param queueLimit    frames queued or in flight on this direction before more are refused
 *                      ({@code BACK_PRESSURED} for unicast, counted as dropped for broadcast)
 */
public record LinkProfile(
        double loss,
        Duration latency,
        Duration jitter,
        long bitRate,
        int mtu,
        double duplicate,
        double reorder,
        Duration reorderDelay,
        boolean broadcast,
        int queueLimit) {

    private static final LinkProfile IDEAL = new LinkProfile(0, Duration.ofMillis(1), Duration.ZERO, 0,
            SimNetwork.DEFAULT_MTU, 0, 0, Duration.ofMillis(10), true, 10_000);

    public LinkProfile {
        probability("loss", loss);
        probability("duplicate", duplicate);
        probability("reorder", reorder);
        nonNegative("latency", latency);
        nonNegative("jitter", jitter);
        nonNegative("reorderDelay", reorderDelay);
        if (bitRate < 0) {
            throw new IllegalArgumentException("bitRate must be 0 (unlimited) or positive: " + bitRate);
        }
        if (mtu <= 0) {
            throw new IllegalArgumentException("mtu must be positive: " + mtu);
        }
        if (queueLimit <= 0) {
            throw new IllegalArgumentException("queueLimit must be positive: " + queueLimit);
        }
    }

    /** Lossless, 1 ms latency, no jitter, unlimited bandwidth, the default MTU, broadcast on. */
    public static LinkProfile ideal() {
        return IDEAL;
    }

    public LinkProfile withLoss(double p) {
        return new LinkProfile(p, latency, jitter, bitRate, mtu, duplicate, reorder, reorderDelay, broadcast, queueLimit);
    }

    public LinkProfile withLatency(Duration d) {
        return new LinkProfile(loss, d, jitter, bitRate, mtu, duplicate, reorder, reorderDelay, broadcast, queueLimit);
    }

    public LinkProfile withJitter(Duration d) {
        return new LinkProfile(loss, latency, d, bitRate, mtu, duplicate, reorder, reorderDelay, broadcast, queueLimit);
    }

    public LinkProfile withBitRate(long bitsPerSecond) {
        return new LinkProfile(loss, latency, jitter, bitsPerSecond, mtu, duplicate, reorder, reorderDelay, broadcast, queueLimit);
    }

    public LinkProfile withMtu(int bytes) {
        return new LinkProfile(loss, latency, jitter, bitRate, bytes, duplicate, reorder, reorderDelay, broadcast, queueLimit);
    }

    public LinkProfile withDuplicate(double p) {
        return new LinkProfile(loss, latency, jitter, bitRate, mtu, p, reorder, reorderDelay, broadcast, queueLimit);
    }

    public LinkProfile withReorder(double p, Duration extraDelay) {
        return new LinkProfile(loss, latency, jitter, bitRate, mtu, duplicate, p, extraDelay, broadcast, queueLimit);
    }

    public LinkProfile withBroadcast(boolean carriesBroadcast) {
        return new LinkProfile(loss, latency, jitter, bitRate, mtu, duplicate, reorder, reorderDelay, carriesBroadcast, queueLimit);
    }

    public LinkProfile withQueueLimit(int frames) {
        return new LinkProfile(loss, latency, jitter, bitRate, mtu, duplicate, reorder, reorderDelay, broadcast, frames);
    }

    private static void probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1]: " + p);
        }
    }

    private static void nonNegative(String name, Duration d) {
        java.util.Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }
}
