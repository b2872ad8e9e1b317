package org.clatter.mdp.node;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.clatter.core.metrics.Counter;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.engine.MeshEngine.Security;
import org.clatter.spi.routing.NextHop;

/**
 * The sockets API of one node: binds local ports to handlers and dispatches the datagrams its
 * {@link MeshEngine} delivers (install it as the engine's {@link MeshEngine.Listener}), starts traces, and runs the
 * DNA lookup service (port 10, spec §7). Key lookup (1), link state (2), echo (7) and the forwarding and return of
 * traces (8) are done inside the engine; a returned trace arrives on the port that started it.
 *
 * <p>Single-threaded: every method runs on the node's engine thread. Expected conditions (unbound port, bad
 * trace, no route) are counted in the engine's registry as {@code mdp.sockets.*}, never thrown.
 */
public final class MdpSockets implements MeshEngine.Listener {
    public static final int PORT_TRACE = MeshEngine.PORT_TRACE;
    public static final int PORT_DNALOOKUP = 10;
    /** servald's daemon allocates ephemeral ports from here up to {@link #LAST_EPHEMERAL}. */
    public static final int FIRST_EPHEMERAL = 257;
    public static final int LAST_EPHEMERAL = 32767;
    private static final int ADDR_FULL = 0x20;

    private final MeshEngine engine;
    private final LongSupplier clock;
    private final Runnable afterSend;
    private final CounterRegistry registry;
    private final Counter delivered;
    private final Map<Long, Bound> bound = new HashMap<>();
    private long nextEphemeral = FIRST_EPHEMERAL;
    private final List<MeshEngine.Listener> fallbacks = new ArrayList<>();

    /**
     * @param engine    the node's engine (its listener must be this object, or forward to it)
     * @param clock     the clock the engine runs on (nanoseconds)
     * @param afterSend run after each send so the driver polls the engine soon
     */
    public MdpSockets(MeshEngine engine, LongSupplier clock, Runnable afterSend) {
        this.engine = engine;
        this.clock = clock;
        this.afterSend = afterSend;
        this.registry = engine.registry();
        this.delivered = registry.counter("mdp.sockets.delivered");
    }

    /** The identities this node serves, the primary first. */
    public List<Identity> identities() {
        return engine.identities();
    }

    /**
     * Binds {@code port} (0: the next free ephemeral port) on {@code sid}: the node's SID, or {@link Sid#ANY} for
     * every local identity.
     *
     * @throws MdpException if the port is taken or the SID is not one of this node's identities
     */
    public MdpSocket bind(Sid sid, long port, Consumer<Datagram> handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return bindLent(sid, port, (from, fromPort, to, toPort, security, buf, off, len, nanos) -> handler.accept(
                new Datagram(from, fromPort, to, toPort, security, java.util.Arrays.copyOfRange(buf, off, off + len),
                        nanos)));
    }

    /**
     * Receives datagrams whose bytes are lent: {@code buf[off, off + len)} is valid only until the call returns (see
     * {@link MeshEngine.Listener}); for a consumer that copies what it keeps (MSP), one copy per datagram less
     * than a {@link Datagram}.
     */
    @FunctionalInterface
    public interface LentHandler {
        void datagram(Sid from, long fromPort, Sid to, long toPort, Security security, byte[] buf, int off, int len,
                      long nanos);
    }

    /**
     * As {@link #bind(Sid, long, Consumer)}, with the datagrams' bytes lent to {@code handler} instead of copied
     * into a {@link Datagram}.
     *
     * @throws MdpException if the port is taken or the SID is not one of this node's identities
     */
    public MdpSocket bindLent(Sid sid, long port, LentHandler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        if (!sid.equals(Sid.ANY) && !engine.isLocal(sid)) {
            throw new MdpException("cannot bind " + sid.abbreviation(16) + "*: not an identity of this node; bind its"
                    + " SID or Sid.ANY");
        }
        if (port < 0 || port > 0xFFFFFFFFL) {
            throw new MdpException("port " + port + " is outside 0..4294967295");
        }
        if (port == 0) {
            port = ephemeral();
        } else if (bound.containsKey(port) || port == PORT_TRACE || port == PORT_DNALOOKUP
                || port == MeshEngine.PORT_ECHO || port == MeshEngine.PORT_KEYMAP
                || port == MeshEngine.PORT_LINKSTATE) {
            throw new MdpException("MDP port " + port + " is already bound; close its socket or bind port 0");
        }
        Bound b = new Bound(sid.equals(Sid.ANY) ? engine.identity()
                : identities().stream().filter(i -> i.sid().equals(sid)).findFirst().orElseThrow(),
                !sid.equals(Sid.ANY), port, handler);
        bound.put(port, b);
        return b;
    }

    /**
     * Adds a listener for datagrams on ports no socket has bound: a layer with its own port table (MSP's
     * {@code MdpDatagramLayer}, which is a {@link MeshEngine.Listener}) plugs in here. Datagrams no socket and no
     * listener takes are counted as {@code mdp.sockets.unbound_port}.
     */
    public void addListener(MeshEngine.Listener listener) {
        fallbacks.add(listener);
    }

    /** Binds the node's primary identity. */
    public MdpSocket bind(long port, Consumer<Datagram> handler) {
        return bind(engine.sid(), port, handler);
    }

    private long ephemeral() {
        for (int i = FIRST_EPHEMERAL; i <= LAST_EPHEMERAL; i++) {
            long p = nextEphemeral;
            nextEphemeral = p >= LAST_EPHEMERAL ? FIRST_EPHEMERAL : p + 1;
            if (!bound.containsKey(p)) {
                return p;
            }
        }
        throw new MdpException("every ephemeral MDP port is bound; close some sockets");
    }

    private void count(String name) {
        registry.counter("mdp.sockets." + name).increment();
    }

    @Override
    public void datagram(Sid from, long srcPort, Sid to, long dstPort, Security security, byte[] data, long now) {
        datagram(from, srcPort, to, dstPort, security, data, 0, data.length, now);
    }

    @Override
    public void datagram(Sid from, long srcPort, Sid to, long dstPort, Security security, byte[] buf, int off, int len,
                         long now) {
        if (dstPort == PORT_DNALOOKUP && to.isBroadcast()) {
            dnaLookup(from, srcPort, security, java.util.Arrays.copyOfRange(buf, off, off + len), now);
            return;
        }
        Bound b = bound.get(dstPort);
        if (b == null || (b.only && !to.isBroadcast() && !to.equals(b.identity.sid()))) {
            if (fallbacks.isEmpty()) {
                count("unbound_port");
                return;
            }
            count("to_listener");
            for (MeshEngine.Listener l : fallbacks) {
                try {
                    l.datagram(from, srcPort, to, dstPort, security, buf, off, len, now);
                } catch (RuntimeException e) {
                    count("handler_error");
                }
            }
            return;
        }
        delivered.increment();
        try {
            b.handler.datagram(from, srcPort, to, dstPort, security, buf, off, len, now);
        } catch (RuntimeException e) {
            count("handler_error");
        }
    }

    // ------------------------------------------------------------------------------------------------ services

    /** Starts a trace to {@code destination} answered on {@code socket}'s port; false without a route. */
    public boolean startTrace(MdpSocket socket, Sid destination) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        addr(b, engine.sid());
        addr(b, destination);
        addr(b, engine.sid());
        Optional<NextHop> hop = engine.router().nextHop(destination.toNodeId());
        if (hop.isEmpty()) {
            count("no_route");
            return false;
        }
        return send(Sid.of(hop.get().neighbour()), PORT_TRACE, socket.port(), Security.CRYPTED, b.toByteArray());
    }

    /** Decodes a trace payload: source, destination, then the hops so far. Empty when malformed. */
    public static Optional<List<Sid>> traceAddresses(byte[] data) {
        List<Sid> out = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            if ((data[p] & 0xff) != ADDR_FULL || p + 33 > data.length) {
                return Optional.empty();
            }
            out.add(Sid.of(data, p + 1));
            p += 33;
        }
        return out.size() >= 2 ? Optional.of(out) : Optional.empty();
    }

    /** Broadcasts a DNA lookup for {@code did} from {@code socket}; replies arrive on the socket. */
    public void startDnaLookup(MdpSocket socket, String did) {
        byte[] d = did.getBytes(StandardCharsets.US_ASCII);
        byte[] req = java.util.Arrays.copyOf(d, d.length + 1);
        socket.broadcast(PORT_DNALOOKUP, Security.SIGNED, req, 31);
    }

    private void dnaLookup(Sid from, long srcPort, Security security, byte[] data, long now) {
        if (security != Security.SIGNED) {
            count("dna_unsigned");
            return;
        }
        int len = data.length;
        while (len > 0 && data[len - 1] == 0) {
            len--;
        }
        String did = new String(data, 0, len, StandardCharsets.US_ASCII);
        count("dna_request");
        for (Identity id : identities()) {
            if (!id.did().isEmpty() && (id.did().equals(did) || did.equals("*"))) {
                String sid = id.sid().toString();
                String reply = sid + "|sid://" + sid + "/local/" + id.did() + "|" + id.did() + "|" + id.name() + "|";
                count("dna_answered");
                byte[] r = reply.getBytes(StandardCharsets.UTF_8);
                engine.send(id, from, srcPort, PORT_DNALOOKUP, Security.CRYPTED, r, 0, r.length, now);
                afterSend.run();
            }
        }
    }

    private boolean send(Sid to, long dstPort, long srcPort, Security security, byte[] data) {
        boolean ok = engine.send(to, dstPort, srcPort, security, data, 0, data.length, clock.getAsLong());
        afterSend.run();
        return ok;
    }

    private static void addr(ByteArrayOutputStream b, Sid sid) {
        b.write(ADDR_FULL);
        b.writeBytes(sid.toBytes());
    }

    private final class Bound implements MdpSocket {
        final Identity identity;
        final boolean only;
        final long port;
        final LentHandler handler;
        boolean open = true;

        Bound(Identity identity, boolean only, long port, LentHandler handler) {
            this.identity = identity;
            this.only = only;
            this.port = port;
            this.handler = handler;
        }

        @Override
        public Sid sid() {
            return identity.sid();
        }

        @Override
        public long port() {
            return port;
        }

        @Override
        public boolean send(Sid to, long dstPort, Security security, byte[] data) {
            return send(to, dstPort, security, data, 0, data.length);
        }

        @Override
        public boolean send(Sid to, long dstPort, Security security, byte[] data, int off, int len) {
            return send(to, dstPort, security, data, off, len, true);
        }

        @Override
        public boolean sendWithoutHopAck(Sid to, long dstPort, Security security, byte[] data, int off, int len) {
            return send(to, dstPort, security, data, off, len, false);
        }

        private boolean send(Sid to, long dstPort, Security security, byte[] data, int off, int len, boolean hopAck) {
            if (!open) {
                throw new MdpException("the socket on port " + port + " is closed; bind a new one");
            }
            java.util.Objects.checkFromIndexSize(off, len, data.length);
            long now = clock.getAsLong();
            boolean ok = hopAck ? engine.send(identity, to, dstPort, port, security, data, off, len, now)
                    : engine.sendWithoutHopAck(identity, to, dstPort, port, security, data, off, len, now);
            afterSend.run();
            return ok;
        }

        @Override
        public void broadcast(long dstPort, Security security, byte[] data, int ttl) {
            if (!open) {
                throw new MdpException("the socket on port " + port + " is closed; bind a new one");
            }
            engine.broadcast(dstPort, port, security, data, 0, data.length, ttl, clock.getAsLong());
            afterSend.run();
        }

        @Override
        public void endToEnd(boolean on) {
            if (!open) {
                throw new MdpException("the socket on port " + port + " is closed; bind a new one");
            }
            engine.endToEnd(port, on);
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                bound.remove(port, this);
                engine.endToEnd(port, false);
            }
        }
    }
}
