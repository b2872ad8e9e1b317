package org.clatter.msp;

/**
 * Packets per {@link #WINDOW_NANOS}, in this window and the last: whether a stream is slow enough that a copy of its
 * packets resent by MDP up to ~1.5 s later cannot meet a wrapped 16-bit seq (below {@link #SLOW_PER_WINDOW} per
 * window, 8,000/s, the seq space lasts 8 s). After a pause of two windows the pause counts as the last window.
 */
final class PacketRate {
    static final long WINDOW_NANOS = 100_000_000L;
    static final int SLOW_PER_WINDOW = 800;
    private static final long NONE = Long.MIN_VALUE / 2;

    private final int unknown;
    private long windowStart = NONE;
    private int current;
    private int before;

    /** @param unknownIsSlow how a stream counts before a whole window has been seen */
    PacketRate(boolean unknownIsSlow) {
        this.unknown = unknownIsSlow ? 0 : Integer.MAX_VALUE;
        this.before = unknown;
    }

    /** One packet at {@code now}. */
    void count(long now) {
        if (now - windowStart >= WINDOW_NANOS) {
            before = windowStart == NONE ? unknown : now - windowStart >= 2 * WINDOW_NANOS ? 0 : current;
            current = 0;
            windowStart = now;
        }
        current++;
    }

    /** Whether both this window and the last stayed below {@link #SLOW_PER_WINDOW}. */
    boolean slow() {
        return Math.max(current, before) < SLOW_PER_WINDOW;
    }
}
