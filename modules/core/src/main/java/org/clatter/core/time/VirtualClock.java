package org.clatter.core.time;

/**
 * A clock that moves only when told to. Single-threaded, like the simulation that owns it.
 * Starts at nanos 0 and at the given epoch.
 */
public final class VirtualClock implements Clock {
    private final long epochMillisAtZero;
    private long nanos;

    public VirtualClock(long epochMillisAtZero) {
        this.epochMillisAtZero = epochMillisAtZero;
    }

    /** A clock whose epoch is 2026-01-01T00:00:00Z, so simulated runs are reproducible. */
    public VirtualClock() {
        this(1_767_225_600_000L);
    }

    @Override
    public long nanos() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochMillisAtZero + nanos / 1_000_000L;
    }

    /** Moves time forward to {@code nanos}; moving backwards is an error. */
    public void advanceTo(long nanos) {
        if (nanos < this.nanos) {
            throw new IllegalArgumentException("virtual time cannot go backwards: " + nanos + " < " + this.nanos);
        }
        this.nanos = nanos;
    }

    public void advanceBy(long deltaNanos) {
        advanceTo(nanos + deltaNanos);
    }
}
