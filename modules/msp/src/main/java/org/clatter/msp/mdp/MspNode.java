package org.clatter.msp.mdp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.clatter.core.time.Clock;
import org.clatter.core.time.Scheduler;
import org.clatter.core.time.SystemClock;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspEngine;
import org.clatter.msp.MspException;

/**
 * An {@link MspEngine} on a {@link MeshNode}: the MSP engine, the {@link MdpDatagramLayer} and the mesh engine
 * all run on the node's engine thread, so MSP needs no locks. Timers that are due later wait on one small timer
 * thread and then run on the engine thread through {@link MeshNode#call}.
 *
 * <pre>
 *   MspNode msp = MspNode.on(meshNode, MspConfig.defaults());   // before or after meshNode.start()
 *   msp.call(engine -> engine.listen(MspAddress.anyIdentity(555), conn -> handler)).join();
 * </pre>
 *
 * Handlers run on the engine thread; use {@link org.clatter.msp.MspStreams} for blocking byte streams.
 */
public final class MspNode implements AutoCloseable {
    private final MeshNode node;
    private final MdpDatagramLayer layer;
    private final MspEngine engine;
    private final NodeScheduler scheduler;

    private MspNode(MeshNode node, MspConfig config) {
        this.node = node;
        this.scheduler = new NodeScheduler(node);
        this.layer = new MdpDatagramLayer(node.engine(), SystemClock.INSTANCE, () -> { });
        this.engine = new MspEngine(layer, config, scheduler);
        layer.attach(engine);
        node.addListener(layer);
    }

    /** Runs MSP on {@code node}. */
    public static MspNode on(MeshNode node, MspConfig config) {
        return new MspNode(node, config);
    }

    /** Runs {@code fn} with the MSP engine on the engine thread; the result completes later. */
    public <T> CompletableFuture<T> call(Function<MspEngine, T> fn) {
        return node.call(now -> fn.apply(engine));
    }

    /** The scheduler on the node's engine thread (for {@link org.clatter.msp.MspStreams}). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The node this runs on. */
    public MeshNode node() {
        return node;
    }

    /** The MSP engine; touch it only on the engine thread ({@link #call}, handlers). */
    public MspEngine engine() {
        return engine;
    }

    /** The datagram layer; engine thread only. */
    public MdpDatagramLayer layer() {
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
            scheduler.timer.shutdownNow();
        }
    }

    /** A {@link Scheduler} whose tasks run on the node's engine thread. */
    private static final class NodeScheduler implements Scheduler {
        private final MeshNode node;
        final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "msp-timer");
            t.setDaemon(true);
            return t;
        });

        NodeScheduler(MeshNode node) {
            this.node = node;
            timer.setRemoveOnCancelPolicy(true);
        }

        @Override
        public Clock clock() {
            return SystemClock.INSTANCE;
        }

        @Override
        public Cancellable schedule(long atNanos, Runnable task) {
            AtomicBoolean live = new AtomicBoolean(true);
            Runnable onEngine = () -> {
                if (live.compareAndSet(true, false)) {
                    task.run();
                }
            };
            long delay = atNanos - System.nanoTime();
            if (delay <= 0) {
                submit(onEngine);
                return () -> live.compareAndSet(true, false);
            }
            var f = timer.schedule(() -> submit(onEngine), delay, TimeUnit.NANOSECONDS);
            return () -> {
                f.cancel(false);
                return live.compareAndSet(true, false);
            };
        }

        private void submit(Runnable r) {
            node.call(now -> {
                r.run();
                return null;
            }).exceptionally(e -> {
                if (e instanceof MspException) {
                    return null;
                }
                return null;
            });
        }
    }
}
