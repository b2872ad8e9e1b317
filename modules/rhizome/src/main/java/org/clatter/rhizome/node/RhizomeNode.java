package org.clatter.rhizome.node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.clatter.core.time.Scheduler;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.node.Datagram;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.MdpSocket;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspCloseReason;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspConnection;
import org.clatter.msp.MspEngine;
import org.clatter.msp.MspException;
import org.clatter.msp.MspHandler;
import org.clatter.msp.mdp.MdpDatagramLayer;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.sync.RhizomeSyncStore;
import org.clatter.rhizome.sync.SyncEngine;

/**
 * A {@link SyncEngine} for a {@link RhizomeStore} running on an {@link MdpNode} ({@code serval-rhizome-sync.md}
 * §3, §9, §10, §15):
 *
 * <ul>
 *   <li>port 18 is bound in the node's port table ({@link org.clatter.mdp.node.MdpSockets}); tree messages are
 *       plain MDP broadcasts from port 18 to port 18 with TTL 1; a port-18 frame addressed to broadcast is a tree
 *       message, one addressed to this node is MSP (handed to an {@link MdpDatagramLayer} of its own);</li>
 *   <li>transfers run over one crypted MSP stream per neighbour, primary identity port 18 to port 18 (both sides
 *       opening at once merge into one stream, as servald's do); a stream idle for {@link #IDLE_CLOSE_MS} is shut
 *       down, a failed or stopped one makes the engine forget the peer's difference trie and resume downloads
 *       from the bytes held on the next stream.</li>
 * </ul>
 *
 * <pre>
 *   RhizomeNode r = RhizomeNode.start(mdpNode, store, scheduler);   // on the node's engine thread
 *   Manifest m = store.add(...); r.bundleAdded(m);                   // or r.add(...)
 * </pre>
 *
 * Single-threaded: every method, and every task {@code scheduler} runs, must be on the node's engine thread (the
 * simulated node's {@link org.clatter.core.time.VirtualScheduler} is; on real time use {@link MdpNode#call}).
 * Received bundles are stored in {@code store} and forwarded further on by the same engine (store and forward).
 */
public final class RhizomeNode implements AutoCloseable {
    /** The sync-keys port: tree broadcasts and MSP transfer streams. */
    public static final int PORT = 18;
    /** A stream with no data either way for this long is shut down (§15). */
    public static final long IDLE_CLOSE_MS = 5000;
    private static final long MS = 1_000_000L;

    private final MdpNode node;
    private final RhizomeStore store;
    private final Scheduler scheduler;
    private final MdpDatagramLayer layer;
    private final MspEngine msp;
    private final SyncEngine sync;
    private final MspAddress local;
    private final MdpSocket socket;
    private final Map<String, Stream> streams = new HashMap<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private Scheduler.Cancellable alarm;
    private long alarmAt = Long.MAX_VALUE;
    private boolean closed;
    private EngineThreadScheduler ownTimer;

    private RhizomeNode(MdpNode node, RhizomeStore store, Scheduler scheduler, MspConfig config) {
        this.node = node;
        this.store = store;
        this.scheduler = scheduler;
        this.layer = new MdpDatagramLayer(node.engine(), scheduler.clock(), () -> node.call(n -> null));
        this.msp = new MspEngine(layer, config, scheduler);
        layer.attach(msp);
        Set<String> sids = node.identities().stream().map(i -> i.sid().toString()).collect(Collectors.toSet());
        this.sync = new SyncEngine(new RhizomeSyncStore(store), nowMs(), sids)
                .maxMessageSize(Math.min(msp.maxMessageSize(), org.clatter.rhizome.sync.TransferCodec.MSP_MESSAGE));
        this.local = MspAddress.of(node.sid().toBytes(), PORT);
        this.socket = node.sockets().bind(Sid.ANY, PORT, this::datagram);
        msp.listen(local, conn -> stream(conn.remote().sidHex().toUpperCase(java.util.Locale.ROOT), conn).handler);
    }

    /**
     * Starts Rhizome sync for {@code store} on {@code node}; call on the node's engine thread.
     *
     * @param scheduler runs its tasks on the node's engine thread (for a simulated node: the network's scheduler)
     */
    public static RhizomeNode start(MdpNode node, RhizomeStore store, Scheduler scheduler) {
        RhizomeNode r = new RhizomeNode(node, store, scheduler, MspConfig.defaults());
        r.pump();
        return r;
    }

    /**
     * Starts Rhizome sync for {@code store} on a started real-time {@code node} ({@link MdpNode#realTime}); call
     * from any thread but the node's engine thread. Timers wait on one small timer thread of this object's and run
     * on the engine thread through {@link MdpNode#call}.
     *
     * @throws org.clatter.rhizome.RhizomeException if the node does not run the start within 10 s (not started?)
     */
    public static RhizomeNode start(MdpNode node, RhizomeStore store) {
        EngineThreadScheduler s = new EngineThreadScheduler(node);
        try {
            RhizomeNode r = node.call(n -> start(node, store, s)).get(10, java.util.concurrent.TimeUnit.SECONDS);
            r.ownTimer = s;
            return r;
        } catch (java.util.concurrent.ExecutionException e) {
            s.timer.shutdownNow();
            throw e.getCause() instanceof RuntimeException re ? re
                    : new org.clatter.rhizome.RhizomeException("cannot start Rhizome sync: " + e.getCause(), e);
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            s.timer.shutdownNow();
            throw new org.clatter.rhizome.RhizomeException("the MDP node did not run Rhizome's start within 10 s;"
                    + " start the node (MdpNode.start()) before RhizomeNode.start", e);
        }
    }

    /** The store this node syncs. */
    public RhizomeStore store() {
        return store;
    }

    /** The sync engine (engine thread only). */
    public SyncEngine engine() {
        return sync;
    }

    /** A bundle was stored in {@link #store()} by another path: advertise it (any thread; runs on the engine's). */
    public void bundleAdded(Manifest m) {
        node.call(n -> {
            sync.bundleAdded(m, nowMs());
            pump();
            return null;
        });
    }

    /** Counters: this node's streams and tree messages, then the engine's. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>(counters);
        sync.counters().forEach((k, v) -> out.put("sync." + k, v));
        msp.counters().forEach((k, v) -> out.put("msp." + k, v));
        return out;
    }

    /** Stops sync: every stream is stopped; the MDP node and the store stay open. */
    @Override
    public void close() {
        if (ownTimer != null) {
            try {
                node.call(n -> {
                    stop();
                    return null;
                }).get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // the node is already closed: nothing is left to stop
            } finally {
                ownTimer.timer.shutdownNow();
            }
            return;
        }
        stop();
    }

    private void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (alarm != null) {
            alarm.cancel();
        }
        msp.close();
        socket.close();
    }

    // ------------------------------------------------------------------------------------------------ internals

    private long nowMs() {
        return scheduler.clock().nanos() / MS;
    }

    private void count(String name) {
        counters.merge(name, 1L, Long::sum);
    }

    /** Port-18 broadcasts are tree messages; port-18 frames to this node are MSP. */
    private void datagram(Datagram d) {
        if (closed) {
            return;
        }
        if (d.to().isBroadcast()) {
            if (node.identity(d.from()).isPresent()) {
                count("tree.rx.own");
                return;
            }
            count("tree.rx");
            sync.onTreeMessage(d.from().toString(), d.data(), nowMs());
            pump();
            return;
        }
        layer.datagram(d.from(), d.fromPort(), d.to(), d.toPort(), d.security(), d.data(), d.nanos());
        pump();
    }

    private Stream stream(String peer, MspConnection conn) {
        Stream s = streams.get(peer);
        if (s != null && s.conn != conn && !s.conn.isClosed()) {
            // servald merges both ends' streams; two MSP connections to one peer: the newer one wins
            count("streams.replaced");
            s.conn.stop();
        }
        s = new Stream(peer, conn);
        streams.put(peer, s);
        count(conn.isOutgoing() ? "streams.opened" : "streams.accepted");
        return s;
    }

    /** Moves tree messages and transfer messages out, shuts idle streams, and sets the next alarm. */
    private void pump() {
        if (closed) {
            return;
        }
        long now = nowMs();
        for (int i = 0; i < 8; i++) {
            var tree = sync.pollTreeMessage(now);
            if (tree.isEmpty()) {
                break;
            }
            socket.broadcast(PORT, MeshEngine.Security.PLAIN, tree.get(), 1);
            count("tree.tx");
        }
        for (String peer : sync.peersWithWork()) {
            Stream s = streams.get(peer);
            if (s == null || s.conn.isClosed() || s.conn.isShutdownLocal()) {
                if (s != null && !s.conn.isClosed()) {
                    continue; // shutting down: a new stream once this one has closed
                }
                try {
                    Handler h = new Handler(peer);
                    MspConnection c = msp.connect(local, MspAddress.of(Sid.parse(peer).toBytes(), PORT), h);
                    s = stream(peer, c);
                    s.handler = h;
                    h.stream = s;
                } catch (MspException e) {
                    count("streams.connect_failed");
                    continue;
                }
            }
            s.send(now);
        }
        for (Stream s : List.copyOf(streams.values())) {
            if (!s.conn.isClosed() && !s.conn.isShutdownLocal() && now - s.lastData >= IDLE_CLOSE_MS
                    && !sync.peersWithWork().contains(s.peer)) {
                s.conn.shutdown();
                count("streams.idle_shutdown");
            }
        }
        node.call(n -> null); // frames were queued: get the mesh engine polled
        arm(Math.min(sync.nextWakeup(), nextIdleCheck(now)));
    }

    private long nextIdleCheck(long now) {
        long at = Long.MAX_VALUE;
        for (Stream s : streams.values()) {
            if (!s.conn.isClosed() && !s.conn.isShutdownLocal()) {
                at = Math.min(at, s.lastData + IDLE_CLOSE_MS);
            }
        }
        return at == Long.MAX_VALUE ? at : Math.max(at, now + 1);
    }

    private void arm(long atMs) {
        if (atMs == Long.MAX_VALUE) {
            return;
        }
        long at = Math.max(atMs, nowMs() + 1) * MS;
        if (alarm != null && alarmAt <= at && alarmAt > scheduler.clock().nanos()) {
            return;
        }
        if (alarm != null) {
            alarm.cancel();
        }
        alarmAt = at;
        alarm = scheduler.schedule(at, () -> {
            alarm = null;
            alarmAt = Long.MAX_VALUE;
            pump();
        });
    }

    private final class Stream {
        final String peer;
        final MspConnection conn;
        MspHandler handler;
        long lastData;

        Stream(String peer, MspConnection conn) {
            this.peer = peer;
            this.conn = conn;
            this.lastData = nowMs();
            if (!conn.isOutgoing()) {
                Handler h = new Handler(peer);
                h.stream = this;
                this.handler = h;
            }
        }

        void send(long now) {
            while (conn.canSend()) {
                List<byte[]> out = sync.pollTransfers(peer, now, 1);
                if (out.isEmpty()) {
                    return;
                }
                for (byte[] m : out) {
                    if (conn.send(m) != MspConnection.SENT) {
                        count("transfer.tx.lost_to_window"); // canSend() said yes: cannot happen
                    }
                    lastData = now;
                }
            }
        }
    }

    private final class Handler implements MspHandler {
        final String peer;
        Stream stream;

        Handler(String peer) {
            this.peer = peer;
        }

        @Override
        public void onData(MspConnection connection, byte[] buf, int off, int len) {
            if (stream != null) {
                stream.lastData = nowMs();
            }
            sync.onTransfer(peer, java.util.Arrays.copyOfRange(buf, off, off + len), nowMs());
            pump();
        }

        @Override
        public void onWritable(MspConnection connection) {
            pump();
        }

        @Override
        public void onRemoteShutdown(MspConnection connection) {
            connection.shutdown(); // §17 B10: answer a SHUTDOWN promptly
            pump();
        }

        @Override
        public void onClosed(MspConnection connection, MspCloseReason reason) {
            boolean current = stream != null && streams.get(peer) == stream;
            if (current) {
                streams.remove(peer);
            }
            if (current && reason != MspCloseReason.NORMAL) {
                count("streams.failed");
                sync.streamFailed(peer);
            } else {
                count("streams.closed");
            }
            if (!closed) {
                pump();
            }
        }
    }

    /** A {@link Scheduler} for real-time nodes: tasks wait on a timer thread, then run on the engine thread. */
    private static final class EngineThreadScheduler implements Scheduler {
        private final MdpNode node;
        final java.util.concurrent.ScheduledThreadPoolExecutor timer =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "rhizome-timer");
                    t.setDaemon(true);
                    return t;
                });

        EngineThreadScheduler(MdpNode node) {
            this.node = node;
            timer.setRemoveOnCancelPolicy(true);
        }

        @Override
        public org.clatter.core.time.Clock clock() {
            return org.clatter.core.time.SystemClock.INSTANCE;
        }

        @Override
        public Cancellable schedule(long atNanos, Runnable task) {
            java.util.concurrent.atomic.AtomicBoolean live = new java.util.concurrent.atomic.AtomicBoolean(true);
            Runnable hop = () -> node.call(n -> {
                if (live.compareAndSet(true, false)) {
                    task.run();
                }
                return null;
            });
            long delay = atNanos - clock().nanos();
            java.util.concurrent.ScheduledFuture<?> f;
            try {
                f = delay <= 0 ? null : timer.schedule(hop, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                return () -> false; // closed: the task will not run
            }
            if (f == null) {
                hop.run();
            }
            return () -> {
                boolean was = live.compareAndSet(true, false);
                if (was && f != null) {
                    f.cancel(false);
                }
                return was;
            };
        }
    }
}
