package org.clatter.msp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.clatter.core.time.Clock;
import org.clatter.core.time.Scheduler;
import org.clatter.msp.codec.MspHeader;

/**
 * The MSP protocol engine of one node: listening ports, connections, timers. Single-threaded and sans-I/O.
 *
 * <p><b>Manual mode</b> ({@link #MspEngine(MspDatagramLayer, MspConfig, Clock)}): feed every datagram that
 * arrives on an MSP port to {@link #receive}, and call {@link #processing(long)} whenever the time it last
 * returned has come (and after {@link MspConnection#send}, {@link MspConnection#shutdown} and the like, which ask
 * for processing "now": {@link #nextDeadline()}). This is Serval's {@code msp_processing(&next_action)}.
 *
 * <p><b>Automatic mode</b> ({@link #MspEngine(MspDatagramLayer, MspConfig, Scheduler)}): the engine schedules its
 * own processing on the scheduler; the datagram layer calls {@link #onDatagram} on the scheduler's thread.
 *
 * <p>Expected conditions (malformed packets, packets for unknown streams, duplicates) are counted
 * ({@link #counters()}) and answered as servald does, never thrown.
 */
public final class MspEngine implements AutoCloseable {
    /** "No deadline": nothing to do until a datagram or an API call arrives. */
    public static final long NEVER = Long.MAX_VALUE;

    private final MspDatagramLayer layer;
    private final MspConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final int slotSize;
    final byte[] out;
    final Counters counters = new Counters();
    private final MspHeader header = new MspHeader();
    private final Key probe = new Key();
    private final HashMap<Key, MspConnection> connections = new HashMap<>();
    private final ArrayList<MspConnection> active = new ArrayList<>();
    private final LinkedHashMap<Key, Tomb> tombstones = new LinkedHashMap<>();
    private final ArrayList<Listening> listeners = new ArrayList<>();
    private final HashMap<MspAddress, int[]> bindings = new HashMap<>();
    private final LinkedHashMap<MspAddress, Long> lingeringBindings = new LinkedHashMap<>();
    private final byte[] stop = new byte[MspHeader.ACK_LENGTH];
    private final Runnable scheduledRun = this::runScheduled;
    private long now;
    private long deadline = NEVER;
    private Scheduler.Cancellable timer;
    private long timerAt = NEVER;
    private boolean processingNow;
    private boolean engineClosed;
    private java.util.function.Consumer<RuntimeException> errorHandler;

    /** Manual mode: the application calls {@link #processing(long)}; {@code clock} times API calls. */
    public MspEngine(MspDatagramLayer layer, MspConfig config, Clock clock) {
        this(layer, config, clock, null);
    }

    /** Automatic mode: the engine drives itself on {@code scheduler} (and its clock). */
    public MspEngine(MspDatagramLayer layer, MspConfig config, Scheduler scheduler) {
        this(layer, config, scheduler.clock(), scheduler);
    }

    private MspEngine(MspDatagramLayer layer, MspConfig config, Clock clock, Scheduler scheduler) {
        if (layer == null || config == null || clock == null) {
            throw new MspException("an MSP engine needs a datagram layer, a config and a clock");
        }
        this.layer = layer;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        int maxPacket = layer.maxPacketSize();
        if (maxPacket < MspHeader.PREAMBLE + 1) {
            throw new MspException("the datagram layer carries only " + maxPacket
                    + " bytes; MSP needs at least " + (MspHeader.PREAMBLE + 1));
        }
        this.slotSize = Math.min(config.maxMessageSize(), maxPacket - MspHeader.PREAMBLE);
        this.out = new byte[Math.max(maxPacket, 4 + 4 * MspHeader.MAX_SACK_RANGES)];
        this.now = clock.nanos();
    }

    // ---------------------------------------------------------------- API

    /**
     * Listens on {@code local}: a SID and port, or {@link MspAddress#anyIdentity(int)} for every local identity.
     * Every new peer that opens a stream to it is offered to {@code listener}.
     */
    public MspListening listen(MspAddress local, MspListener listener) {
        checkOpen();
        if (listener == null) {
            throw new MspException("listen() needs a listener");
        }
        for (Listening l : listeners) {
            if (l.local.equals(local)) {
                throw new MspException("already listening on " + local + "; one listener serves every connection");
            }
        }
        MspAddress bound = bind(local);
        Listening l = new Listening(bound, listener);
        listeners.add(l);
        return l;
    }

    /** Listens on the node's primary identity at {@code port}. */
    public MspListening listenPrimary(int port, MspListener listener) {
        return listen(layer.primaryIdentity().withPort(port), listener);
    }

    /**
     * Opens a stream from {@code local} (port 0 = an ephemeral port) to {@code remote}. Data may be sent at once:
     * it goes with the first packet (after servald's 10 ms new-stream delay), before the peer has accepted.
     */
    public MspConnection connect(MspAddress local, MspAddress remote, MspHandler handler) {
        checkOpen();
        if (handler == null) {
            throw new MspException("connect() needs a handler");
        }
        if (remote.isAnyIdentity() || remote.port() == 0) {
            throw new MspException("connect() needs a remote SID and a non-zero port; got " + remote);
        }
        MspAddress bound = bind(local);
        Key key = new Key(bound, remote);
        if (connections.containsKey(key)) {
            unbind(bound);
            throw new MspException("a stream from " + bound + " to " + remote
                    + " is already open; use it, or connect from another local port");
        }
        long t = clock.nanos();
        observe(t);
        MspConnection c = new MspConnection(this, config, bound, remote, true, slotSize, now);
        c.handler = handler;
        connections.put(key, c);
        active.add(c);
        tombstones.remove(key);
        wake(c);
        return c;
    }

    /**
     * One datagram that arrived for {@code local} from {@code remote}. Data is delivered and STOP answered at
     * once; acks and transmissions go out at the next {@link #processing} (due now: {@link #nextDeadline()}).
     *
     * @return the {@link MspHeader} kind (positive) or a negative {@code MspHeader.ERR_*} for a malformed packet
     */
    public int receive(long nowNanos, MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
        if (engineClosed) {
            return MspHeader.ERR_EMPTY;
        }
        observe(nowNanos);
        int kind = header.decode(buf, off, len);
        if (kind < 0) {
            counters.packetsMalformed++;
            return kind;
        }
        counters.packetsIn++;
        MspConnection c = connections.get(probe.set(local, remote));
        if (c == null) {
            Key key = new Key(local, remote);
            if (kind == MspHeader.KIND_STOP) {
                counters.stopIgnored++;
                return kind;
            }
            Tomb tomb = tombstones.get(key);
            if (header.has(MspHeader.FIRST) && (tomb == null || tomb.rejectFirstUntil <= now)) {
                Listening l = findListener(local);
                if (l != null) {
                    c = accept(l, key);
                }
            }
            if (c == null) {
                counters.unknownStream++;
                if (tomb != null && tomb.normal) {
                    MspHeader.writeStopAck(stop, 0, tomb.finalAck);
                    counters.stopSent++;
                    transmit(local, remote, stop, MspHeader.ACK_LENGTH);
                } else {
                    sendStop(local, remote);
                }
                return kind;
            }
        }
        c.onPacket(now, header, buf);
        // Acks and transmissions wait for the next processing pass (servald: "at the next processing after new
        // data"), so a burst of datagrams read together is answered with one ack.
        if (!c.isClosed()) {
            c.nextWake = Math.min(c.nextWake, now);
            deadline = Math.min(deadline, now);
        }
        return kind;
    }

    /**
     * {@link #receive} at the clock's current time, then re-arms the scheduler (automatic mode). An exception
     * thrown by a handler is counted ({@code engine.handler_errors}), passed to {@link #onError} and does not stop
     * the engine.
     */
    public int onDatagram(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
        try {
            return receive(clock.nanos(), local, remote, buf, off, len);
        } catch (RuntimeException e) {
            handlerFailed(e);
            return MspHeader.ERR_EMPTY;
        } finally {
            arm();
        }
    }

    /** Where exceptions thrown by handlers in automatic mode go (default: counted only). */
    public void onError(java.util.function.Consumer<RuntimeException> errorHandler) {
        this.errorHandler = errorHandler;
    }

    private void handlerFailed(RuntimeException e) {
        counters.handlerErrors++;
        if (errorHandler != null) {
            errorHandler.accept(e);
        }
    }

    /**
     * Runs every due timer and transmission. Returns the time (on the engine's clock) at which to call again, or
     * {@link #NEVER}.
     */
    public long processing(long nowNanos) {
        observe(nowNanos);
        processingNow = true;
        long next = NEVER;
        try {
            for (int i = 0; i < active.size(); i++) {
                MspConnection c = active.get(i);
                if (c.isClosed()) {
                    continue;
                }
                if (c.nextWake <= now) {
                    serviceConnection(c);
                }
                if (!c.isClosed()) {
                    next = Math.min(next, c.nextWake);
                }
            }
        } finally {
            processingNow = false;
        }
        active.removeIf(MspConnection::isClosed);
        expireTombstones();
        if (!lingeringBindings.isEmpty()) {
            next = Math.min(next, lingeringBindings.values().iterator().next());
        }
        deadline = next;
        return next;
    }

    /** Services one connection; again if a handler callback asked for processing during the pass. */
    private void serviceConnection(MspConnection c) {
        for (int pass = 0; pass < 8 && !c.isClosed() && c.nextWake <= now; pass++) {
            c.nextWake = NEVER;
            long w = c.service(now);
            c.nextWake = Math.min(c.nextWake, w);
        }
        if (!c.isClosed() && c.nextWake < now) {
            c.nextWake = now;
        }
    }

    /** When {@link #processing} wants to run next ({@link Long#MIN_VALUE}-ish "now" after an API call). */
    public long nextDeadline() {
        return deadline;
    }

    /** Open connections (incoming and outgoing). */
    public int connectionCount() {
        return connections.size();
    }

    /** The largest message a connection accepts. */
    public int maxMessageSize() {
        return slotSize;
    }

    public MspConfig config() {
        return config;
    }

    /** Counters by name ({@code packets.in}, {@code data.retransmitted}, ...), a snapshot. */
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    /** Stops every connection (each peer gets STOP, each handler {@link MspCloseReason#ENGINE_CLOSED}). */
    @Override
    public void close() {
        if (engineClosed) {
            return;
        }
        for (MspConnection c : new ArrayList<>(active)) {
            if (!c.isClosed()) {
                sendStop(c.local(), c.remote());
                c.finish(MspCloseReason.ENGINE_CLOSED, null);
            }
        }
        for (Listening l : new ArrayList<>(listeners)) {
            l.close();
        }
        for (MspAddress a : new ArrayList<>(lingeringBindings.keySet())) {
            unbind(a);
        }
        lingeringBindings.clear();
        engineClosed = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    // ---------------------------------------------------------------- internals

    long now() {
        return Math.max(now, clock.nanos());
    }

    private void observe(long t) {
        if (t > now) {
            now = t;
        }
    }

    void wake(MspConnection c) {
        c.nextWake = Long.MIN_VALUE;
        deadline = Long.MIN_VALUE;
        if (scheduler != null && !processingNow) {
            armAt(clock.nanos());
        }
    }

    private void arm() {
        if (scheduler != null) {
            armAt(deadline);
        }
    }

    private void armAt(long at) {
        if (engineClosed || at == NEVER) {
            return;
        }
        // "now" is asked for as Long.MIN_VALUE inside the engine; a scheduler computing a delay must not overflow.
        at = Math.max(at, clock.nanos());
        if (at >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerAt = at;
        timer = scheduler.schedule(at, scheduledRun);
    }

    private void runScheduled() {
        timer = null;
        timerAt = NEVER;
        long next = Long.MIN_VALUE;
        try {
            next = processing(clock.nanos());
        } catch (RuntimeException e) {
            processingNow = false;
            handlerFailed(e);
            next = clock.nanos() + 1_000_000L;
        } finally {
            armAt(next);
        }
    }

    int transmit(MspAddress local, MspAddress remote, byte[] buf, int len) {
        return transmit(local, remote, buf, len, false);
    }

    /** @param lateCopySafe see {@link MspDatagramLayer#send(MspAddress, MspAddress, byte[], int, int, boolean)} */
    int transmit(MspAddress local, MspAddress remote, byte[] buf, int len, boolean lateCopySafe) {
        int r = layer.send(local, remote, buf, 0, len, lateCopySafe);
        if (r == MspDatagramLayer.BACK_PRESSURED) {
            counters.layerBackPressured++;
        } else {
            counters.packetsOut++;
            if (r == MspDatagramLayer.UNREACHABLE) {
                counters.layerUnreachable++;
            }
        }
        return r;
    }

    void sendStop(MspAddress local, MspAddress remote) {
        MspHeader.writeStop(stop, 0);
        counters.stopSent++;
        transmit(local, remote, stop, 1);
    }

    void detach(MspConnection c) {
        Key key = new Key(c.local(), c.remote());
        if (connections.remove(key) == c) {
            tombstones.remove(key);
            tombstones.put(key, new Tomb(now + config.tombstoneNanos(), now + config.timeoutNanos(),
                    c.closeReason().orElse(null) == MspCloseReason.NORMAL, c.lastAckSent()));
            if (c.isOutgoing()) {
                // Keep the port a while so the peer's retransmissions are answered with STOP, not silence.
                lingeringBindings.put(c.local(), now + config.timeoutNanos());
            }
            counters.connectionsClosed++;
        }
        if (!processingNow) {
            active.remove(c);
        }
    }

    private MspConnection accept(Listening l, Key key) {
        MspConnection c = new MspConnection(this, config, key.local, key.remote, false, slotSize, now);
        connections.put(key, c);
        active.add(c);
        counters.connectionsAccepted++;
        MspHandler h = l.listener.onAccept(c);
        if (h == null) {
            throw new MspException("MspListener.onAccept must return a handler for " + c
                    + " (call connection.stop() inside it to refuse)");
        }
        if (c.handler == null) {
            c.handler = h;
        }
        return c;
    }

    private Listening findListener(MspAddress local) {
        Listening any = null;
        for (Listening l : listeners) {
            if (l.local.port() != local.port()) {
                continue;
            }
            if (l.local.sameSid(local)) {
                return l;
            }
            if (l.local.isAnyIdentity()) {
                any = l;
            }
        }
        return any;
    }

    private void expireTombstones() {
        if (!lingeringBindings.isEmpty()) {
            Iterator<Map.Entry<MspAddress, Long>> lb = lingeringBindings.entrySet().iterator();
            while (lb.hasNext()) {
                Map.Entry<MspAddress, Long> e = lb.next();
                if (e.getValue() > now) {
                    break;
                }
                lb.remove();
                unbind(e.getKey());
            }
        }
        if (tombstones.isEmpty()) {
            return;
        }
        Iterator<Tomb> it = tombstones.values().iterator();
        while (it.hasNext()) {
            if (it.next().forgetAt <= now) {
                it.remove();
            } else {
                break;
            }
        }
    }

    private MspAddress bind(MspAddress local) {
        if (local.port() != 0) {
            int[] refs = bindings.get(local);
            if (refs != null) {
                refs[0]++;
                return local;
            }
            for (Map.Entry<MspAddress, int[]> e : bindings.entrySet()) {
                if (e.getKey().port() == local.port() && e.getKey().isAnyIdentity()) {
                    e.getValue()[0]++;
                    return local;
                }
            }
        }
        MspAddress bound = layer.bind(local);
        bindings.put(bound, new int[] {1});
        return bound;
    }

    private void unbind(MspAddress local) {
        int[] refs = bindings.get(local);
        if (refs == null) {
            for (Map.Entry<MspAddress, int[]> e : bindings.entrySet()) {
                if (e.getKey().port() == local.port() && e.getKey().isAnyIdentity()) {
                    refs = e.getValue();
                    local = e.getKey();
                    break;
                }
            }
            if (refs == null) {
                return;
            }
        }
        if (--refs[0] == 0) {
            bindings.remove(local);
            layer.unbind(local);
        }
    }

    private void checkOpen() {
        if (engineClosed) {
            throw new MspException("this MSP engine is closed; create a new one");
        }
    }

    /** A connection's key; the engine's {@code probe} instance is reused for look-ups (no allocation). */
    private static final class Key {
        MspAddress local;
        MspAddress remote;
        int hash;

        Key() {
        }

        Key(MspAddress local, MspAddress remote) {
            set(local, remote);
        }

        Key set(MspAddress l, MspAddress r) {
            local = l;
            remote = r;
            hash = 31 * l.hashCode() + r.hashCode();
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.local.equals(local) && k.remote.equals(remote);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** What is remembered of a finished stream: late FIRST duplicates are refused, late packets get a STOP. */
    private record Tomb(long rejectFirstUntil, long forgetAt, boolean normal, int finalAck) {
    }

    private final class Listening implements MspListening {
        final MspAddress local;
        final MspListener listener;
        boolean closed;

        Listening(MspAddress local, MspListener listener) {
            this.local = local;
            this.listener = listener;
        }

        @Override
        public MspAddress local() {
            return local;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                listeners.remove(this);
                unbind(local);
            }
        }
    }

    static final class Counters {
        long packetsIn;
        long packetsOut;
        long packetsMalformed;
        long stopSent;
        long stopIgnored;
        long unknownStream;
        long acksSent;
        long sacksSent;
        long ackBeyondSent;
        long dataRetransmitted;
        long dataLost;
        long dataSpurious;
        long rtoExpired;
        long dataDuplicate;
        long dataOld;
        long dataBeyondWindow;
        long dataEmpty;
        long dataDiscarded;
        long messagesDelivered;
        long sendBackPressured;
        long layerBackPressured;
        long layerUnreachable;
        long connectionsAccepted;
        long connectionsClosed;
        long handlerErrors;

        Map<String, Long> snapshot() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("packets.in", packetsIn);
            m.put("packets.out", packetsOut);
            m.put("packets.malformed", packetsMalformed);
            m.put("packets.stop_sent", stopSent);
            m.put("packets.stop_ignored", stopIgnored);
            m.put("packets.unknown_stream", unknownStream);
            m.put("acks.sent", acksSent);
            m.put("acks.sack_sent", sacksSent);
            m.put("acks.beyond_sent", ackBeyondSent);
            m.put("data.retransmitted", dataRetransmitted);
            m.put("data.lost_detected", dataLost);
            m.put("data.spurious", dataSpurious);
            m.put("data.rto_expired", rtoExpired);
            m.put("data.duplicate", dataDuplicate);
            m.put("data.old", dataOld);
            m.put("data.beyond_window", dataBeyondWindow);
            m.put("data.empty", dataEmpty);
            m.put("data.discarded", dataDiscarded);
            m.put("messages.delivered", messagesDelivered);
            m.put("send.back_pressured", sendBackPressured);
            m.put("layer.back_pressured", layerBackPressured);
            m.put("layer.unreachable", layerUnreachable);
            m.put("connections.accepted", connectionsAccepted);
            m.put("connections.closed", connectionsClosed);
            m.put("engine.handler_errors", handlerErrors);
            return m;
        }
    }
}
