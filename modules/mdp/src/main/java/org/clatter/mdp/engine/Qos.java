package org.clatter.mdp.engine;

/**
 * The transmit queue a frame waits in (spec §7, "Queues (qos)"), highest priority first: packets are filled from
 * {@link #VOICE} down to {@link #OPPORTUNISTIC}. Each class has a bounded length (a frame offered to a full queue is
 * dropped and counted as {@code drop.queue_full.<name>}) and, for the real-time classes, a maximum latency (a frame
 * that waited longer is dropped unsent and counted as {@code drop.stale.<name>}).
 *
 * <p>Only 0..3 fit the 2-bit wire field: {@link #OPPORTUNISTIC} is sent as 3 ({@link #wire()}); the class is a local
 * scheduling hint, so a forwarded frame is queued by its wire value.
 */
public enum Qos {
    /** Isochronous voice: worthless when late. */
    VOICE(20, 200_000_000L),
    /** Link state, routing adverts, acks, address explanations and pings: never starved by bulk traffic. */
    MESH_MANAGEMENT(64, Long.MAX_VALUE),
    /** Isochronous video: worthless when late. */
    VIDEO(20, 500_000_000L),
    /** Ordinary datagrams (the default). */
    ORDINARY(512, Long.MAX_VALUE),
    /** Bulk traffic that may wait, such as Rhizome sync: sent last. */
    OPPORTUNISTIC(256, Long.MAX_VALUE);

    private static final Qos[] VALUES = values();

    private final int maxLength;
    private final long maxLatencyNanos;
    private final String counterName;

    Qos(int maxLength, long maxLatencyNanos) {
        this.maxLength = maxLength;
        this.maxLatencyNanos = maxLatencyNanos;
        this.counterName = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** At most this many frames wait in the class (per destination: one interface's broadcasts, or one neighbour). */
    public int maxLength() {
        return maxLength;
    }

    /** A frame that waited longer than this is dropped unsent; {@link Long#MAX_VALUE} when unbounded. */
    public long maxLatencyNanos() {
        return maxLatencyNanos;
    }

    /** The value written in the frame's 2-bit qos field (0..3). */
    public int wire() {
        return Math.min(3, ordinal());
    }

    /** The name used in counters: {@code voice}, {@code mesh_management}, ... */
    public String counterName() {
        return counterName;
    }

    /** The class for a received wire value (the low 2 bits of {@code value}). */
    public static Qos ofWire(int value) {
        return VALUES[value & 3];
    }

    static Qos ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    static int count() {
        return VALUES.length;
    }
}
