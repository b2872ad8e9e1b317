package org.clatter.core.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The pipeline's idle strategy: a short phased back-off (a few spin hints, a few yields) and then a real
 * park, from which the next publish wakes the waiter with {@link LockSupport#unpark}. It is a Disruptor
 * {@link WaitStrategy} for the outbound drainer, and {@link #parkUntil} is the engine loop's sleep, which also
 * ends at the next timer deadline.
 *
 * <p>Why not the stock strategies, on a 2-core machine shared with the links' receive threads:
 * {@code BusySpin}/{@code Yielding} keep a core busy while idle; {@code Sleeping} polls every ~60 µs for ever
 * (a few % of a core per idle ring); {@code Blocking} takes a lock and signals a condition on every publish;
 * {@code LiteBlocking} avoids that but cannot also wait for a timer. Parking costs no CPU when idle, wakes in
 * the tens of microseconds, and the publisher only pays a fence and a volatile read unless someone is
 * parked. (Measured: {@code ParkingWaitStrategyTest} idle CPU; {@code tools/bench} {@code PipelineBenchmark}.)
 *
 * <p>While traffic flows the waiter does not register for a wake-up at all: within {@link #busyWindowNanos()}
 * of the last work it has seen, it naps for {@link #napNanos()} and looks again, so publishers pay no
 * {@code unpark} system call per frame (on two cores that call, and the context switch it forces, cost more
 * than the frame itself). Only after a quiet window does it park until signalled, so an idle pipeline costs
 * no CPU.
 *
 * <p>One waiting thread per instance (the rings have one consumer each). A second concurrent waiter still
 * works but may sleep up to {@link #maxParkNanos()} before seeing new work.
 */
public final class ParkingWaitStrategy implements WaitStrategy {
    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(ParkingWaitStrategy.class, "waiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int spinTries;
    private final int yieldTries;
    private final long maxParkNanos;
    private final long napNanos;
    private final long busyWindowNanos;
    /** When the waiting thread last found work; written and read by that thread only. */
    private long lastWorkNanos = Long.MIN_VALUE / 2;
    @SuppressWarnings("unused") // also through WAITER
    private volatile Thread waiter;

    /**
     * @param spinTries    {@link Thread#onSpinWait()} rounds before yielding
     * @param yieldTries   {@link Thread#yield()} rounds before parking
     * @param maxParkNanos longest single park, a safety net only: wake-ups come from {@link #signalAllWhenBlocking()}
     */
    public ParkingWaitStrategy(int spinTries, int yieldTries, long maxParkNanos) {
        this(spinTries, yieldTries, maxParkNanos, TimeUnit.MICROSECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * @param napNanos        how long to nap, unregistered, while traffic flows (0: never nap)
     * @param busyWindowNanos how long after the last work the waiter keeps napping rather than parking
     */
    public ParkingWaitStrategy(int spinTries, int yieldTries, long maxParkNanos, long napNanos, long busyWindowNanos) {
        if (spinTries < 0 || yieldTries < 0 || maxParkNanos <= 0 || napNanos < 0 || busyWindowNanos < 0) {
            throw new IllegalArgumentException("spin and yield tries, nap and busy window must be >= 0 and maxParkNanos > 0");
        }
        this.spinTries = spinTries;
        this.yieldTries = yieldTries;
        this.maxParkNanos = maxParkNanos;
        this.napNanos = napNanos;
        this.busyWindowNanos = busyWindowNanos;
    }

    /** 100 spin hints, 4 yields, then 50 µs naps while work came within the last 1 ms, else park (at most 100 ms). */
    public ParkingWaitStrategy() {
        this(100, 4, TimeUnit.MILLISECONDS.toNanos(100));
    }

    public long napNanos() {
        return napNanos;
    }

    public long busyWindowNanos() {
        return busyWindowNanos;
    }

    /** The waiting thread found work: it will nap rather than park for the next {@link #busyWindowNanos()}. */
    void workSeen() {
        lastWorkNanos = System.nanoTime();
    }

    /**
     * Naps for {@link #napNanos()} without asking to be woken if work came recently.
     *
     * @return true if it napped (the caller should look for work again), false if the caller should park
     */
    boolean napIfBusy() {
        if (napNanos > 0 && System.nanoTime() - lastWorkNanos < busyWindowNanos) {
            LockSupport.parkNanos(this, napNanos);
            return true;
        }
        return false;
    }

    public long maxParkNanos() {
        return maxParkNanos;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException {
        long available;
        int tries = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (tries < spinTries) {
                tries++;
                Thread.onSpinWait();
            } else if (tries < spinTries + yieldTries) {
                tries++;
                Thread.yield();
            } else if (!napIfBusy()) {
                waiter = Thread.currentThread();
                VarHandle.fullFence();
                if (dependentSequence.get() < sequence) {
                    barrier.checkAlert();
                    LockSupport.parkNanos(this, maxParkNanos);
                }
                waiter = null;
            }
        }
        workSeen();
        return available;
    }

    /**
     * Parks the calling thread until {@code deadlineNanos} ({@link System#nanoTime()}), a signal, or
     * {@link #maxParkNanos()}, whichever is first, unless {@code workAvailable} says there is work once the
     * thread is registered as the waiter (which closes the lost-wake-up race).
     */
    public void parkUntil(long deadlineNanos, BooleanSupplier workAvailable) {
        waiter = Thread.currentThread();
        VarHandle.fullFence();
        if (!workAvailable.getAsBoolean()) {
            long delay = deadlineNanos - System.nanoTime();
            if (delay > 0) {
                LockSupport.parkNanos(this, Math.min(delay, maxParkNanos));
            }
        }
        waiter = null;
    }

    /** The back-off before {@link #parkUntil}: true while the caller should keep polling rather than park. */
    boolean backOff(int idleRounds) {
        if (idleRounds <= spinTries) {
            Thread.onSpinWait();
            return true;
        }
        if (idleRounds <= spinTries + yieldTries) {
            Thread.yield();
            return true;
        }
        return false;
    }

    /**
     * Wakes the parked waiter, if any. Only the first signal after a park pays for the unpark system call:
     * it takes the waiter out of the field, so a burst of publishes while the waiter is still waking up costs
     * each of the others just a fence and a volatile read.
     */
    @Override
    public void signalAllWhenBlocking() {
        VarHandle.fullFence();
        Thread w = waiter;
        if (w != null && WAITER.compareAndSet(this, w, null)) {
            LockSupport.unpark(w);
        }
    }

    @Override
    public String toString() {
        return "ParkingWaitStrategy[spin=" + spinTries + ", yield=" + yieldTries + ", maxPark=" + maxParkNanos + "ns]";
    }
}
