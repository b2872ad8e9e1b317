package org.clatter.core.time;

import java.util.PriorityQueue;

/**
 * A deterministic scheduler on a {@link VirtualClock}: {@link #runUntil} pops tasks in (time, insertion)
 * order and moves the clock to each task's time. No threads; the caller's thread is the simulation.
 * Same seed, same task order, same result.
 */
public final class VirtualScheduler implements Scheduler {
    private final VirtualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;
    private long executed;

    public VirtualScheduler(VirtualClock clock) {
        this.clock = clock;
    }

    public VirtualScheduler() {
        this(new VirtualClock());
    }

    @Override
    public VirtualClock clock() {
        return clock;
    }

    @Override
    public Cancellable schedule(long atNanos, Runnable task) {
        Entry e = new Entry(Math.max(atNanos, clock.nanos()), sequence++, task);
        queue.add(e);
        return e;
    }

    /**
     * Runs every task due up to and including {@code deadlineNanos}, then leaves the clock at the deadline.
     *
     * @return the number of tasks run
     */
    public long runUntil(long deadlineNanos) {
        long ran = 0;
        while (true) {
            Entry e = queue.peek();
            if (e == null || e.atNanos > deadlineNanos) {
                break;
            }
            queue.poll();
            if (e.cancelled) {
                continue;
            }
            clock.advanceTo(e.atNanos);
            e.done = true;
            e.task.run();
            ran++;
        }
        if (deadlineNanos > clock.nanos()) {
            clock.advanceTo(deadlineNanos);
        }
        executed += ran;
        return ran;
    }

    /** {@link #runUntil} for a duration from now. */
    public long runFor(long durationNanos) {
        return runUntil(clock.nanos() + durationNanos);
    }

    /**
     * Runs tasks until the queue is empty or {@code maxTasks} have run (a guard against self-rescheduling
     * timers); the clock ends at the last task's time.
     */
    public long runAll(long maxTasks) {
        long ran = 0;
        while (ran < maxTasks) {
            Entry e = queue.poll();
            if (e == null) {
                break;
            }
            if (e.cancelled) {
                continue;
            }
            clock.advanceTo(e.atNanos);
            e.done = true;
            e.task.run();
            ran++;
        }
        executed += ran;
        return ran;
    }

    /** Tasks waiting (cancelled ones included until they reach the head). */
    public int pending() {
        return queue.size();
    }

    /** Tasks run so far. */
    public long executed() {
        return executed;
    }

    private static final class Entry implements Comparable<Entry>, Cancellable {
        final long atNanos;
        final long seq;
        final Runnable task;
        boolean cancelled;
        boolean done;

        Entry(long atNanos, long seq, Runnable task) {
            this.atNanos = atNanos;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            if (cancelled || done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
