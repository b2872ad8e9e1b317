package org.clatter.core.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.Sequence;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.clatter.core.metrics.Counter;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.core.metrics.ErrorLog;
import org.clatter.core.time.Clock;
import org.clatter.core.time.Scheduler;
import org.clatter.core.time.SystemClock;

/**
 * The engine thread: drives one single-threaded, sans-I/O protocol engine on real time. It is the real-time
 * {@link Scheduler} (the virtual one is {@link org.clatter.core.time.VirtualScheduler}), so an engine written
 * against {@code Scheduler} runs unchanged on both.
 *
 * <p>Each duty cycle it (1) moves tasks scheduled from other threads into its timer queue, (2) hands up to
 * {@value #MAX_FRAMES_PER_CYCLE} frames from the {@link InboundRing} to the {@link PacketHandler}, (3) runs the
 * timers and tasks that are due, and, when a cycle found nothing to do, (4) backs off briefly and then parks
 * until the next timer deadline. A publish into the inbound ring or a task from another thread unparks it,
 * so it wakes in tens of microseconds without burning a core while idle.
 *
 * <p>Everything the handler, a timer or a task throws is caught where it is called, counted
 * ({@code engine.exceptions}) and reported to the {@link ErrorLog} (sites {@code engine.onFrame},
 * {@code engine.task}); one bad packet never stops the loop.
 *
 * <p>Thread safety: {@link #schedule}, {@link #execute} and {@link Scheduler.Cancellable#cancel()} may be
 * called from any thread; the handler, timers and tasks always run on the engine thread.
 */
public final class EngineLoop implements Scheduler, AutoCloseable {
    /** Frames handled per cycle before due timers get their turn. */
    public static final int MAX_FRAMES_PER_CYCLE = 256;
    /** Due timers run per cycle before frames get their turn again. */
    static final int MAX_TIMERS_PER_CYCLE = 1024;

    private final String name;
    private final InboundRing inbound;
    private final EventPoller<InboundRing.Slot> poller;
    private final Sequence consumed;
    private final ParkingWaitStrategy idle;
    private final ErrorLog errorLog;
    private final Counter frames;
    private final Counter discarded;
    private final Counter engineExceptions;
    private final Counter tasksRun;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ConcurrentLinkedQueue<Timer> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicLong timerSequence = new AtomicLong();
    private final BooleanSupplier workAvailable;
    private final FrameDispatcher dispatcher = new FrameDispatcher();
    private volatile boolean running;
    private volatile Thread thread;
    private PacketHandler handler;

    /**
     * @param name     the engine thread's name
     * @param inbound  the ring this loop consumes (it becomes the ring's only consumer)
     * @param counters where frame, task and exception counts go
     * @param errorLog where caught exceptions are reported
     */
    public EngineLoop(String name, InboundRing inbound, CounterRegistry counters, ErrorLog errorLog) {
        this.name = Objects.requireNonNull(name, "name");
        this.inbound = inbound;
        this.poller = inbound.newPoller();
        this.consumed = poller.getSequence();
        this.idle = inbound.waitStrategy();
        this.errorLog = Objects.requireNonNull(errorLog, "errorLog");
        this.frames = counters.counter("pipeline.inbound.frames");
        this.discarded = counters.counter("pipeline.inbound.discarded");
        this.engineExceptions = counters.counter("engine.exceptions");
        this.tasksRun = counters.counter("engine.tasks");
        this.workAvailable = () -> !running || !submitted.isEmpty() || inbound.isPublished(consumed);
    }

    /** Starts the engine thread, which feeds {@code handler} every inbound frame. */
    public synchronized void start(PacketHandler handler) {
        if (thread != null) {
            throw new IllegalStateException("engine loop '" + name + "' is already started");
        }
        this.handler = Objects.requireNonNull(handler, "handler");
        running = true;
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Whether the caller is the engine thread. */
    public boolean inEngineThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public Clock clock() {
        return SystemClock.INSTANCE;
    }

    @Override
    public Cancellable schedule(long atNanos, Runnable task) {
        Timer t = new Timer(atNanos, timerSequence.getAndIncrement(), Objects.requireNonNull(task, "task"));
        if (inEngineThread()) {
            timers.add(t);
        } else {
            submitted.add(t);
            idle.signalAllWhenBlocking();
        }
        return t;
    }

    /** Stops the loop after its current cycle and waits up to a second for the thread to end. Idempotent. */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null) {
            return;
        }
        idle.signalAllWhenBlocking();
        if (t != Thread.currentThread()) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        int idleRounds = 0;
        while (running) {
            int work = drainSubmitted();
            work += pollInbound();
            work += runDueTimers();
            if (work > 0) {
                idleRounds = 0;
                idle.workSeen();
            } else if (!idle.backOff(++idleRounds) && !idle.napIfBusy()) {
                Timer next = timers.peek();
                long deadline = next != null ? next.atNanos : System.nanoTime() + idle.maxParkNanos();
                idle.parkUntil(deadline, workAvailable);
            }
        }
    }

    private int drainSubmitted() {
        int n = 0;
        Timer t;
        while ((t = submitted.poll()) != null) {
            timers.add(t);
            n++;
        }
        return n;
    }

    private int pollInbound() {
        dispatcher.count = 0;
        try {
            poller.poll(dispatcher);
        } catch (Exception e) {
            // The dispatcher catches per frame; this is only reachable through a bug in the ring itself.
            engineExceptions.increment();
            errorLog.record("engine.poll", e);
        }
        return dispatcher.count;
    }

    private int runDueTimers() {
        long now = System.nanoTime();
        int n = 0;
        Timer t;
        while (n < MAX_TIMERS_PER_CYCLE && (t = timers.peek()) != null && t.atNanos - now <= 0) {
            timers.poll();
            if (!t.claimToRun()) {
                continue;
            }
            n++;
            tasksRun.increment();
            try {
                t.task.run();
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                engineExceptions.increment();
                errorLog.record("engine.task", e);
            }
        }
        return n;
    }

    /** Handles one poll batch; a field, not a lambda, so the hot path allocates nothing. */
    private final class FrameDispatcher implements EventPoller.Handler<InboundRing.Slot> {
        int count;

        @Override
        public boolean onEvent(InboundRing.Slot slot, long sequence, boolean endOfBatch) {
            count++;
            if (slot.state == InboundRing.FRAME) {
                frames.increment();
                try {
                    handler.onFrame(slot);
                } catch (RuntimeException | StackOverflowError | AssertionError e) {
                    engineExceptions.increment();
                    errorLog.record("engine.onFrame", e);
                }
            } else {
                discarded.increment();
            }
            return count < MAX_FRAMES_PER_CYCLE;
        }
    }

    private static final class Timer implements Comparable<Timer>, Cancellable {
        private static final VarHandle STATE;
        private static final int PENDING = 0;
        private static final int DONE = 1;
        private static final int CANCELLED = 2;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long atNanos;
        final long seq;
        final Runnable task;
        @SuppressWarnings("unused") // through STATE
        private volatile int state;

        Timer(long atNanos, long seq, Runnable task) {
            this.atNanos = atNanos;
            this.seq = seq;
            this.task = task;
        }

        boolean claimToRun() {
            return STATE.compareAndSet(this, PENDING, DONE);
        }

        @Override
        public boolean cancel() {
            return STATE.compareAndSet(this, PENDING, CANCELLED);
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(atNanos - o.atNanos, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
