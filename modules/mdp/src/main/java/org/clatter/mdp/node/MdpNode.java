package org.clatter.mdp.node;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.IdentityHashMap;
import java.util.Map;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.core.pipeline.EngineLoop;
import org.clatter.core.pipeline.InboundFrame;
import org.clatter.core.pipeline.PacketHandler;
import org.clatter.core.pipeline.Pipeline;
import org.clatter.core.time.Scheduler;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.FrameSink;
import org.clatter.core.buffer.ArraySlot;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportProvider;
import org.clatter.transport.sim.SimNetwork;

/**
 * One MDP node with its sockets: a {@link MeshEngine} and {@link MdpSockets} driven either on real time
 * ({@link #realTime}: the core {@link Pipeline} — inbound ring, {@link EngineLoop} thread, outbound ring — over
 * UDP or other transport links; {@link #onMeshNode}: a {@link MeshNode}) or on virtual time
 * ({@link #simulated}: a {@link VirtualScheduler} over the simulated network, deterministic from the seeds).
 * The engine code, the sockets and the services are the same in both.
 *
 * <p>{@link #call} runs a function on the engine's thread: on real time it is queued to the engine thread, on
 * virtual time it runs at once on the caller's thread, which must be the scheduler's thread.
 */
public final class MdpNode implements AutoCloseable {
    /** servald's default UDP port. */
    public static final int DEFAULT_PORT = 4110;
    /** Counted by simulated nodes: overlay packets and bytes handed to the links. */
    public static final String SENT_PACKETS = "mdp.node.sent_packets";
    public static final String SENT_BYTES = "mdp.node.sent_bytes";

    private final Driver driver;
    private final MdpSockets sockets;
    private final List<Identity> identities;
    private final List<String> interfaces = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private interface Driver {
        MeshEngine engine();

        <T> CompletableFuture<T> call(Function<Long, T> fn);

        long now();

        void wake();

        void addLink(Link link, List<LinkAddress> peers);

        void start();

        void close();
    }

    private MdpNode(Driver driver, List<Identity> identities, boolean realTime) {
        this.driver = driver;
        this.identities = List.copyOf(identities);
        this.sockets = new MdpSockets(driver.engine(), driver::now, driver::wake);
    }

    /**
     * A node on real time serving all of {@code identities}; the first is the primary (the packets' sender), the
     * others are advertised as reachable through it.
     *
     * @param crypto used only by this node's engine thread
     */
    public static MdpNode realTime(Crypto crypto, List<Identity> identities, long seed) {
        if (identities.isEmpty()) {
            throw new MdpException("a node needs an identity; run `clatter keyring add` first");
        }
        PipelineDriver d = new PipelineDriver(crypto, identities.getFirst(), seed);
        identities.forEach(d.engine()::addIdentity);
        MdpNode n = new MdpNode(d, identities, true);
        d.listener.target = n.sockets;
        return n;
    }

    /**
     * A node on real time driven by a {@link MeshNode} (its own engine thread and queue) instead of the core
     * pipeline; for code that already holds a {@code MeshNode}-based setup.
     */
    public static MdpNode onMeshNode(Crypto crypto, List<Identity> identities, long seed) {
        if (identities.isEmpty()) {
            throw new MdpException("a node needs an identity; run `clatter keyring add` first");
        }
        RealDriver d = new RealDriver(new MeshNode(crypto, identities.getFirst(), seed));
        identities.forEach(d.engine()::addIdentity);
        MdpNode n = new MdpNode(d, identities, true);
        d.node.addListener(n.sockets);
        return n;
    }

    /** A node on virtual time, attached to {@code net} as node {@code name} (added to the network if missing). */
    public static MdpNode simulated(Crypto crypto, List<Identity> identities, long seed, SimNetwork net,
                                    String name) {
        if (identities.isEmpty()) {
            throw new MdpException("a node needs an identity");
        }
        if (!net.hasNode(name)) {
            net.addNode(name);
        }
        SimDriver d = new SimDriver(net.scheduler(), crypto, identities.getFirst(), seed);
        identities.forEach(d.engine()::addIdentity);
        MdpNode n = new MdpNode(d, identities, false);
        d.listener.target = n.sockets;
        Link link = net.transport(name).open(name);
        n.interfaces.add("sim:" + name);
        d.addLink(link, List.of());
        return n;
    }

    /**
     * Opens and adds an interface given as {@code udp:ADDR/PREFIX[:PORT]} (port 4110 by default), found through
     * the {@link TransportProvider} of that kind; {@code peers} ({@code ADDR[:PORT]}) get its broadcasts by
     * unicast, for links without a broadcast address.
     */
    public MdpNode addInterface(String spec, List<String> peers) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new MdpException("interface '" + spec + "' has no kind; write it as udp:ADDR/PREFIX[:PORT]");
        }
        String kind = spec.substring(0, colon);
        String rest = spec.substring(colon + 1);
        if (kind.equals("udp") && !rest.matches(".*:\\d+$")) {
            rest = rest + ":" + DEFAULT_PORT;
        }
        Transport t = transport(kind);
        closeables.add(t);
        Link link = t.open(rest);
        List<LinkAddress> addrs = new ArrayList<>();
        for (String p : peers) {
            String ps = p.startsWith(kind + ":") ? p.substring(kind.length() + 1) : p;
            if (kind.equals("udp") && !ps.matches(".*:\\d+$")) {
                ps = ps + ":" + DEFAULT_PORT;
            }
            addrs.add(link.parseAddress(ps));
        }
        interfaces.add(kind + ":" + rest);
        driver.addLink(link, addrs);
        return this;
    }

    /** Adds an already open link (before {@link #start}). */
    public MdpNode addLink(Link link, List<LinkAddress> staticPeers) {
        interfaces.add(link.info().toString());
        driver.addLink(link, staticPeers);
        return this;
    }

    private static Transport transport(String kind) {
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class, MdpNode.class.getClassLoader())) {
            if (p.name().equals(kind) && p.isAvailable()) {
                return p.create(Config.empty());
            }
        }
        throw new MdpException("no '" + kind + "' transport provider is installed; check `clatter providers`");
    }

    public MdpNode start() {
        driver.start();
        return this;
    }

    public Sid sid() {
        return driver.engine().sid();
    }

    /** Every identity of this node; the first is the primary. */
    public List<Identity> identities() {
        return identities;
    }

    /** The interfaces as given, e.g. {@code udp:127.0.0.1/8:4110}. */
    public List<String> interfaces() {
        return List.copyOf(interfaces);
    }

    /** The engine: use only inside {@link #call}. */
    public MeshEngine engine() {
        return driver.engine();
    }

    /** The sockets: use only inside {@link #call}. */
    public MdpSockets sockets() {
        return sockets;
    }

    /** The node's clock, nanoseconds. */
    public long now() {
        return driver.now();
    }

    /** Runs {@code fn} with the current time on the engine thread. */
    public <T> CompletableFuture<T> call(Function<Long, T> fn) {
        return driver.call(fn);
    }

    @Override
    public void close() {
        driver.close();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- drivers

    private static final class RealDriver implements Driver {
        final MeshNode node;

        RealDriver(MeshNode node) {
            this.node = node;
        }

        @Override
        public MeshEngine engine() {
            return node.engine();
        }

        @Override
        public <T> CompletableFuture<T> call(Function<Long, T> fn) {
            return node.call(fn);
        }

        @Override
        public long now() {
            return System.nanoTime();
        }

        @Override
        public void wake() {
            // MeshNode polls the engine after every task and every received packet.
        }

        @Override
        public void addLink(Link link, List<LinkAddress> peers) {
            node.addLink(link, peers);
        }

        @Override
        public void start() {
            node.start();
        }

        @Override
        public void close() {
            node.close();
        }
    }

    /**
     * The engine's listener, made before the node's sockets it forwards to: passes both forms on, the lent one
     * without a copy.
     */
    private static final class Relay implements MeshEngine.Listener {
        MeshEngine.Listener target;

        @Override
        public void datagram(Sid from, long srcPort, Sid to, long dstPort, MeshEngine.Security security, byte[] data,
                             long nowNanos) {
            target.datagram(from, srcPort, to, dstPort, security, data, nowNanos);
        }

        @Override
        public void datagram(Sid from, long srcPort, Sid to, long dstPort, MeshEngine.Security security, byte[] buf,
                             int off, int len, long nowNanos) {
            target.datagram(from, srcPort, to, dstPort, security, buf, off, len, nowNanos);
        }
    }

    /**
     * Drives the engine on the core {@link Pipeline}: links publish into its inbound ring, the {@link EngineLoop}
     * thread feeds the engine and polls it at the times it asks for (a timer), and packets leave through the
     * outbound ring, whose drainer thread calls the links. Calls from other threads are tasks on the loop.
     */
    private static final class PipelineDriver implements Driver, MeshEngine.Output, PacketHandler {
        final Pipeline pipeline;
        final MeshEngine engine;
        final List<Link> links = new ArrayList<>();
        final Map<Link, Integer> ifaceOf = new IdentityHashMap<>();
        final Relay listener = new Relay();
        Scheduler.Cancellable timer;
        long timerAt = Long.MAX_VALUE;
        boolean started;

        PipelineDriver(Crypto crypto, Identity id, long seed) {
            CounterRegistry registry = new CounterRegistry();
            this.engine = new MeshEngine(crypto, id, seed,
                    listener,
                    registry);
            this.pipeline = Pipeline.builder().name("mdp-" + id.sid().abbreviation(6)).inboundSlots(1024)
                    .outboundSlots(1024).slotSize(4096).counters(registry).build();
        }

        @Override
        public MeshEngine engine() {
            return engine;
        }

        @Override
        public <T> CompletableFuture<T> call(Function<Long, T> fn) {
            CompletableFuture<T> f = new CompletableFuture<>();
            pipeline.engine().execute(() -> {
                try {
                    f.complete(fn.apply(System.nanoTime()));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
                pollNow();
            });
            return f;
        }

        @Override
        public long now() {
            return System.nanoTime();
        }

        @Override
        public void wake() {
            // every task and frame is followed by a poll on the engine thread
        }

        @Override
        public void onFrame(InboundFrame frame) {
            Integer iface = ifaceOf.get(frame.link());
            if (iface == null) {
                engine.registry().counter("mdp.node.unknown_link").increment();
                return;
            }
            engine.receive(iface, frame.source(), frame.segment(), 0, frame.length(), System.nanoTime());
            pollNow();
        }

        void pollNow() {
            long now = System.nanoTime();
            long wake = engine.poll(now, this);
            if (timer != null && timerAt <= wake) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            timerAt = wake;
            timer = pipeline.engine().schedule(wake, () -> {
                timer = null;
                timerAt = Long.MAX_VALUE;
                pollNow();
            });
        }

        @Override
        public void addLink(Link link, List<LinkAddress> peers) {
            int iface = engine.addInterface(link.info().broadcast());
            peers.forEach(p -> engine.addStaticPeer(iface, p));
            links.add(link);
            ifaceOf.put(link, iface);
            link.start(pipeline.inbound());
        }

        @Override
        public void start() {
            started = true;
            pipeline.start(this);
            pipeline.engine().execute(this::pollNow);
        }

        @Override
        public void close() {
            links.forEach(Link::close);
            pipeline.close();
        }

        @Override
        public void unicast(int iface, LinkAddress to, MemorySegment packet, long offset, int length) {
            if (pipeline.outbound().send(links.get(iface), to, packet, offset, length) < 0) {
                engine.registry().counter("mdp.node.send_refused").increment();
            }
        }

        @Override
        public void broadcast(int iface, MemorySegment packet, long offset, int length) {
            if (pipeline.outbound().broadcast(links.get(iface), packet, offset, length) < 0) {
                engine.registry().counter("mdp.node.send_refused").increment();
            }
        }
    }

    /** Drives the engine from a {@link VirtualScheduler}: polls at the times the engine asks for. */
    private static final class SimDriver implements Driver, MeshEngine.Output {
        final VirtualScheduler scheduler;
        final MeshEngine engine;
        final List<Link> links = new ArrayList<>();
        final Relay listener = new Relay();
        long scheduledAt = Long.MAX_VALUE;
        boolean started;
        boolean closed;

        SimDriver(VirtualScheduler scheduler, Crypto crypto, Identity id, long seed) {
            this.scheduler = scheduler;
            this.engine = new MeshEngine(crypto, id, seed,
                    listener,
                    new CounterRegistry());
        }

        @Override
        public MeshEngine engine() {
            return engine;
        }

        @Override
        public <T> CompletableFuture<T> call(Function<Long, T> fn) {
            CompletableFuture<T> f = new CompletableFuture<>();
            try {
                f.complete(fn.apply(now()));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
            wake();
            return f;
        }

        @Override
        public long now() {
            return scheduler.clock().nanos();
        }

        @Override
        public void wake() {
            if (started && !closed) {
                wakeAt(now());
            }
        }

        void wakeAt(long at) {
            if (at >= scheduledAt || closed) {
                return;
            }
            scheduledAt = at;
            scheduler.schedule(at, () -> {
                if (scheduledAt != at || closed) {
                    return;
                }
                scheduledAt = Long.MAX_VALUE;
                wakeAt(Math.max(now() + 1, engine.poll(now(), this)));
            });
        }

        @Override
        public void addLink(Link link, List<LinkAddress> peers) {
            int iface = engine.addInterface(link.info().broadcast());
            peers.forEach(p -> engine.addStaticPeer(iface, p));
            links.add(link);
            link.start(new Sink(iface));
        }

        @Override
        public void start() {
            started = true;
            wakeAt(now());
        }

        @Override
        public void close() {
            closed = true;
            links.forEach(Link::close);
        }

        @Override
        public void unicast(int iface, LinkAddress to, MemorySegment packet, long offset, int length) {
            engine.registry().counter(SENT_BYTES).add(length);
            engine.registry().counter(SENT_PACKETS).increment();
            links.get(iface).send(to, packet, offset, length);
        }

        @Override
        public void broadcast(int iface, MemorySegment packet, long offset, int length) {
            engine.registry().counter(SENT_BYTES).add(length);
            engine.registry().counter(SENT_PACKETS).increment();
            links.get(iface).broadcast(packet, offset, length);
        }

        private final class Sink implements FrameSink {
            final int iface;
            final ArraySlot slot = new ArraySlot(65536);

            Sink(int iface) {
                this.iface = iface;
            }

            @Override
            public FrameSlot claim() {
                return slot.clear();
            }

            @Override
            public void publish(FrameSlot s) {
                if (slot.full() && started && !closed) {
                    engine.receive(iface, slot.source(), slot.segment(), 0, slot.length(), now());
                    wake();
                }
                slot.clear();
            }
        }
    }

    /** The node's primary identity. */
    public Identity primary() {
        return identities.getFirst();
    }

    /** The identity with this SID, if it is one of this node's. */
    public Optional<Identity> identity(Sid sid) {
        return identities.stream().filter(i -> i.sid().equals(sid)).findFirst();
    }
}
