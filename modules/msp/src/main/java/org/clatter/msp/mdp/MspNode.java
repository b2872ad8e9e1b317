package org.clatter.msp.mdp;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.clatter.core.time.Clock;
import org.clatter.core.time.Scheduler;
import org.clatter.core.time.SystemClock;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.mdp.node.MdpNode;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspDatagramLayer;
import org.clatter.msp.MspEngine;
import org.clatter.msp.MspException;

/**
 * An {@link MspEngine} on a node: the MSP engine, its datagram layer and the mesh engine all run on the node's
 * engine thread, so MSP needs no locks. On an {@link MdpNode} ({@link #on(MdpNode, MspConfig)} on real time,
 * {@link #simulated} on virtual time) MSP's ports are {@link org.clatter.mdp.node.MdpSocket}s of the node's
 * {@link org.clatter.mdp.node.MdpSockets} ({@link MdpSocketLayer}), one port table for every service; on a bare
 * {@link MeshNode} ({@link #on(MeshNode, MspConfig)}) the {@link MdpDatagramLayer} keeps its own. On real time,
 * timers that are due later wait on one small timer thread and then run on the engine thread through the node's
 * {@code call}.
 *
 * <pre>
 *   MspNode msp = MspNode.on(mdpNode, MspConfig.defaults());   // before or after mdpNode.start()
 *   msp.call(engine -> engine.listen(MspAddress.anyIdentity(555), conn -> handler)).join();
 * </pre>
 *
 * Handlers run on the engine thread; use {@link org.clatter.msp.MspStreams} for blocking byte streams.
 */
public final class MspNode implements AutoCloseable {
    /**
     * The retransmission timer's floor between Clatter peers over a node: a window of packets is sealed and queued
     * in the mesh engine at once, so the last one leaves (and is acked) a queue-drain later than the first; a 5 ms
     * floor retransmitted a fifth of the packets spuriously at 0 % loss on loopback (MspThroughputBench).
     */
    public static final long MIN_RTO_NANOS = 15_000_000L;

    private final Caller caller;
    private final MeshNode meshNode;
    private final MdpNode mdpNode;
    private final MspDatagramLayer layer;
    private final MspEngine engine;
    private final Scheduler scheduler;
    private final NodeScheduler timers;

    /** Runs a function on the node's engine thread. */
    private interface Caller {
        <T> CompletableFuture<T> call(Function<Long, T> fn);
    }

    private MspNode(MeshNode node, MspConfig config) {
        this.meshNode = node;
        this.mdpNode = null;
        this.caller = node::call;
        this.timers = new NodeScheduler(caller);
        this.scheduler = timers;
        MdpDatagramLayer l = new MdpDatagramLayer(node.engine(), SystemClock.INSTANCE, () -> { });
        this.layer = l;
        this.engine = new MspEngine(layer, config, scheduler);
        l.attach(engine);
        node.addListener(l);
    }

    private MspNode(MdpNode node, MspConfig config, Scheduler virtual) {
        this.meshNode = null;
        this.mdpNode = node;
        this.caller = node::call;
        this.timers = virtual == null ? new NodeScheduler(caller) : null;
        this.scheduler = virtual == null ? timers : virtual;
        MdpSocketLayer l = new MdpSocketLayer(node);
        this.layer = l;
        this.engine = new MspEngine(layer, config, scheduler);
        l.attach(engine);
    }

    private static MspConfig floor(MspConfig config) {
        return config.minRtoNanos() >= MIN_RTO_NANOS ? config : config.withMinRto(MIN_RTO_NANOS);
    }

    /** Runs MSP on {@code node} (the retransmission floor raised to at least {@link #MIN_RTO_NANOS}). */
    public static MspNode on(MeshNode node, MspConfig config) {
        return new MspNode(node, floor(config));
    }

    /**
     * Runs MSP on a real-time {@link MdpNode} ({@link MdpNode#realTime} or {@link MdpNode#onMeshNode}), its ports
     * bound through the node's sockets (the retransmission floor raised to at least {@link #MIN_RTO_NANOS}).
     */
    public static MspNode on(MdpNode node, MspConfig config) {
        return new MspNode(node, floor(config), null);
    }

    /**
     * Runs MSP on a simulated {@link MdpNode} ({@link MdpNode#simulated}); {@code scheduler} is the virtual
     * scheduler that drives it (the simulated network's), so MSP's timers run on virtual time; the retransmission
     * floor is raised to at least {@link #MIN_RTO_NANOS} as on real time (the mesh engine queues a window the
     * same way). Call
     * {@link #call} and the engine only from that scheduler's thread.
     */
    public static MspNode simulated(MdpNode node, Scheduler scheduler, MspConfig config) {
        return new MspNode(node, floor(config), scheduler);
    }

    /** Runs {@code fn} with the MSP engine on the engine thread; the result completes later. */
    public <T> CompletableFuture<T> call(Function<MspEngine, T> fn) {
        return caller.call(now -> fn.apply(engine));
    }

    /** The scheduler on the node's engine thread (for {@link org.clatter.msp.MspStreams}). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The {@link MeshNode} this runs on, when it was started with {@link #on(MeshNode, MspConfig)}. */
    public Optional<MeshNode> meshNode() {
        return Optional.ofNullable(meshNode);
    }

    /** The {@link MdpNode} this runs on, when it was started on one. */
    public Optional<MdpNode> mdpNode() {
        return Optional.ofNullable(mdpNode);
    }

    /** The MSP engine; touch it only on the engine thread ({@link #call}, handlers). */
    public MspEngine engine() {
        return engine;
    }

    /** The datagram layer ({@link MdpSocketLayer} or {@link MdpDatagramLayer}); engine thread only. */
    public MspDatagramLayer layer() {
        return layer;
    }

    /** Closes the MSP engine (every stream gets STOP) and the timer thread; the node stays up. */
    @Override
    public void close() {
        try {
            call(e -> {
                e.close();
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the node may already be closed: nothing left to stop
        } finally {
            if (timers != null) {
                timers.timer.shutdownNow();
            }
        }
    }

    /**
     * A {@link Scheduler} whose tasks run on the node's engine thread. Tasks due now go straight to the engine
     * thread. Later ones wait in a sorted set; one alarm on the timer thread, set only when a task is due before
     * the current alarm, moves the due ones over. Cancelling only removes the entry, so the usual MSP pattern
     * (re-arm the retransmission timer on every ack) costs no timer-thread traffic.
     */
    private static final class NodeScheduler implements Scheduler {
        private final Caller node;
        final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "msp-timer");
            t.setDaemon(true);
            return t;
        });
        private final java.util.TreeSet<Timed> waiting = new java.util.TreeSet<>();
        private long seq;
        private long alarmAt = Long.MAX_VALUE;

        NodeScheduler(Caller node) {
            this.node = node;
        }

        @Override
        public Clock clock() {
            return SystemClock.INSTANCE;
        }

        @Override
        public Cancellable schedule(long atNanos, Runnable task) {
            if (atNanos - System.nanoTime() <= 0) {
                AtomicBoolean live = new AtomicBoolean(true);
                submit(() -> {
                    if (live.compareAndSet(true, false)) {
                        task.run();
                    }
                });
                return () -> live.compareAndSet(true, false);
            }
            Timed t;
            synchronized (this) {
                t = new Timed(atNanos, seq++, task);
                waiting.add(t);
                if (atNanos < alarmAt) {
                    alarmAt = atNanos;
                    timer.schedule(this::alarm, atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
            }
            return () -> {
                synchronized (this) {
                    return waiting.remove(t);
                }
            };
        }

        /** On the timer thread: hands the due tasks to the engine thread and sets the next alarm. */
        private void alarm() {
            java.util.List<Runnable> due = new java.util.ArrayList<>();
            synchronized (this) {
                long now = System.nanoTime();
                while (!waiting.isEmpty() && waiting.first().at - now <= 0) {
                    due.add(waiting.pollFirst().task);
                }
                alarmAt = Long.MAX_VALUE;
                if (!waiting.isEmpty()) {
                    alarmAt = waiting.first().at;
                    timer.schedule(this::alarm, Math.max(0, alarmAt - now), TimeUnit.NANOSECONDS);
                }
            }
            if (!due.isEmpty()) {
                submit(() -> due.forEach(Runnable::run));
            }
        }

        private void submit(Runnable r) {
            node.call(now -> {
                r.run();
                return null;
            });
        }

        private record Timed(long at, long seq, Runnable task) implements Comparable<Timed> {
            @Override
            public int compareTo(Timed o) {
                int c = Long.compare(at - o.at, 0);
                return c != 0 ? c : Long.compare(seq, o.seq);
            }
        }
    }
}
