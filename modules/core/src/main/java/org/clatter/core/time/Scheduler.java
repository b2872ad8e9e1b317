package org.clatter.core.time;

/**
 * Runs tasks at given times on one thread: the node's engine thread for real time, the simulation loop for
 * virtual time. Engines answer "wake me at T"; whoever drives them turns that into {@link #schedule}.
 */
public interface Scheduler {

    /** The clock deadlines are measured on. */
    Clock clock();

    /**
     * Runs {@code task} on the scheduler's thread at or after {@code atNanos} ({@link Clock#nanos()} time).
     * Tasks due at the same instant run in the order they were scheduled.
     */
    Cancellable schedule(long atNanos, Runnable task);

    /** Runs {@code task} on the scheduler's thread as soon as possible (after already-due tasks). */
    default Cancellable execute(Runnable task) {
        return schedule(clock().nanos(), task);
    }

    /** A scheduled task that may be cancelled before it runs. */
    interface Cancellable {
        /** Stops the task from running; false if it already ran or was cancelled. */
        boolean cancel();
    }
}
