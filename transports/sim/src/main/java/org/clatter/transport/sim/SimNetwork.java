package org.clatter.transport.sim;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;

/**
 * A simulated medium: named nodes joined by one-way links, each direction with its own {@link LinkProfile}
 * and its own {@link SplittableRandom} split from the network seed, so the same seed and the same sequence of
 * sends give exactly the same deliveries. Frames travel as tasks on a {@link VirtualScheduler}; nothing here
 * reads the wall clock or iterates a hash.
 *
 * <pre>{@code
 * var scheduler = new VirtualScheduler();
 * var net = new SimNetwork(scheduler, 42);
 * net.addNode("A").addNode("B").link("A", "B", LinkProfile.ideal().withLoss(0.1));
 * Link a = net.transport("A").open("A");
 * Link b = net.transport("B").open("B");
 * b.start(sink);
 * a.send(b.localAddress(), frame, 0, length);
 * scheduler.runFor(1_000_000_000L);   // one virtual second
 * }</pre>
 *
 * <p>Single-threaded: build the network, send and run the scheduler on one thread (the simulation's).
 * A node opens one link at a time; its broadcast reaches every neighbour whose incoming link profile carries
 * broadcasts, its unicast reaches one neighbour by {@link SimAddress}.
 */
public final class SimNetwork {
    /** Largest frame a node's link accepts unless told otherwise: Serval's overlay MTU. */
    public static final int DEFAULT_MTU = 1200;

    private static final Map<String, SimNetwork> REGISTRY = new ConcurrentHashMap<>();

    private final VirtualScheduler scheduler;
    private final long seed;
    private final int mtu;
    private final SplittableRandom master;
    private final Map<String, Node> nodes = new HashMap<>();
    private final List<Node> nodeList = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();
    private final ArrayDeque<Flight> pool = new ArrayDeque<>();
    private boolean partitioned;

    /** A network on {@code scheduler} whose randomness all derives from {@code seed}; node MTU {@value #DEFAULT_MTU}. */
    public SimNetwork(VirtualScheduler scheduler, long seed) {
        this(scheduler, seed, DEFAULT_MTU);
    }

    /** As {@link #SimNetwork(VirtualScheduler, long)} with the MTU every node's link accepts. */
    public SimNetwork(VirtualScheduler scheduler, long seed, int mtu) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (mtu <= 0) {
            throw new IllegalArgumentException("mtu must be positive: " + mtu);
        }
        this.seed = seed;
        this.mtu = mtu;
        this.master = new SplittableRandom(seed);
    }

    public VirtualScheduler scheduler() {
        return scheduler;
    }

    public long seed() {
        return seed;
    }

    /** The largest frame a node's link accepts. */
    public int mtu() {
        return mtu;
    }

    /**
     * Registers this network under {@code name} so the {@code "sim"} provider can find it from the
     * {@code sim.network} setting. Returns this network.
     */
    public SimNetwork register(String name) {
        REGISTRY.put(Objects.requireNonNull(name, "name"), this);
        return this;
    }

    /** Removes the registration {@code name} if it is this network. */
    public void unregister(String name) {
        REGISTRY.remove(name, this);
    }

    /** The network registered under {@code name}. */
    public static Optional<SimNetwork> registered(String name) {
        return Optional.ofNullable(REGISTRY.get(name));
    }

    static Set<String> registeredNames() {
        return new TreeSet<>(REGISTRY.keySet());
    }

    // ---------------------------------------------------------------- topology

    /**
     * Adds a node.
     *
     * @throws IllegalArgumentException if the name is taken or not a valid {@link SimAddress}
     */
    public SimNetwork addNode(String name) {
        SimAddress.checkName(name);
        if (nodes.containsKey(name)) {
            throw new IllegalArgumentException("node " + name + " already exists; pick another name");
        }
        Node n = new Node(name, SimAddress.of(name), nodeList.size());
        nodes.put(name, n);
        nodeList.add(n);
        return this;
    }

    public boolean hasNode(String name) {
        return nodes.containsKey(name);
    }

    /** Node names in the order they were added. */
    public List<String> nodes() {
        return nodeList.stream().map(n -> n.name).toList();
    }

    /** The nodes {@code node} has a link to, in the order the links were made. */
    public List<String> neighbours(String node) {
        return node(node).out.stream().map(e -> e.to.name).toList();
    }

    /** Links {@code a} and {@code b} both ways with the same profile (replacing an existing profile). */
    public SimNetwork link(String a, String b, LinkProfile profile) {
        return link(a, b, profile, profile);
    }

    /** Links {@code a} and {@code b} with one profile per direction (an asymmetric link). */
    public SimNetwork link(String a, String b, LinkProfile aToB, LinkProfile bToA) {
        linkOneWay(a, b, aToB);
        linkOneWay(b, a, bToA);
        return this;
    }

    /** A one-way link from {@code from} to {@code to}: {@code to} hears {@code from}, not the reverse. */
    public SimNetwork linkOneWay(String from, String to, LinkProfile profile) {
        Objects.requireNonNull(profile, "profile");
        Node f = node(from);
        Node t = node(to);
        if (f == t) {
            throw new IllegalArgumentException("a node cannot link to itself: " + from);
        }
        Edge e = f.outByName.get(to);
        if (e == null) {
            e = new Edge(f, t, master.split());
            f.out.add(e);
            f.outByName.put(to, e);
            edges.add(e);
        }
        e.profile = profile;
        return this;
    }

    /** Whether {@code from} has a link to {@code to} (cut or not). */
    public boolean linked(String from, String to) {
        return node(from).outByName.containsKey(to);
    }

    /** Cuts the link between {@code a} and {@code b} both ways: frames on it, in flight too, are lost. */
    public SimNetwork cut(String a, String b) {
        edge(a, b).cut = true;
        Edge back = node(b).outByName.get(a);
        if (back != null) {
            back.cut = true;
        }
        return this;
    }

    /** Undoes {@link #cut}. */
    public SimNetwork restore(String a, String b) {
        edge(a, b).cut = false;
        Edge back = node(b).outByName.get(a);
        if (back != null) {
            back.cut = false;
        }
        return this;
    }

    /**
     * Splits the network: nodes in different groups no longer hear each other. Nodes in no group form one
     * more group together. Replaces any previous partition.
     */
    @SafeVarargs
    public final SimNetwork partition(Set<String>... groups) {
        for (Node n : nodeList) {
            n.group = groups.length;
        }
        for (int g = 0; g < groups.length; g++) {
            for (String name : groups[g]) {
                node(name).group = g;
            }
        }
        partitioned = true;
        return this;
    }

    /** Ends a {@link #partition}. */
    public SimNetwork heal() {
        partitioned = false;
        return this;
    }

    /** Adds {@code n} nodes in a line (each linked to the next) with the ideal profile; returns their names. */
    public List<String> line(int n) {
        return line(n, LinkProfile.ideal());
    }

    /** Adds {@code n} nodes in a line; names are {@code n<i>} numbered on from the current node count. */
    public List<String> line(int n, LinkProfile profile) {
        List<String> names = addNumbered(n);
        for (int i = 1; i < n; i++) {
            link(names.get(i - 1), names.get(i), profile);
        }
        return names;
    }

    /** Adds a {@code w × h} grid, each node linked to its 4 neighbours, with the ideal profile. */
    public List<String> grid(int w, int h) {
        return grid(w, h, LinkProfile.ideal());
    }

    /** Adds a {@code w × h} grid; the node at (x, y) is element {@code y * w + x} of the result. */
    public List<String> grid(int w, int h, LinkProfile profile) {
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("grid sides must be positive: " + w + "x" + h);
        }
        List<String> names = addNumbered(w * h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                String here = names.get(y * w + x);
                if (x + 1 < w) {
                    link(here, names.get(y * w + x + 1), profile);
                }
                if (y + 1 < h) {
                    link(here, names.get((y + 1) * w + x), profile);
                }
            }
        }
        return names;
    }

    /** Adds a connected random graph of {@code n} nodes with average degree about {@code degree}, ideal profile. */
    public List<String> random(int n, int degree) {
        return random(n, degree, LinkProfile.ideal());
    }

    /**
     * Adds a connected random graph: a random spanning tree, then random extra links until there are
     * {@code n * degree / 2} links. Deterministic from the network seed.
     */
    public List<String> random(int n, int degree, LinkProfile profile) {
        if (n <= 0 || degree < 1 || degree >= n && n > 1) {
            throw new IllegalArgumentException("need n > 0 and 1 <= degree < n: n=" + n + ", degree=" + degree);
        }
        SplittableRandom rnd = master.split();
        List<String> names = addNumbered(n);
        long links = 0;
        for (int i = 1; i < n; i++) {
            link(names.get(i), names.get(rnd.nextInt(i)), profile);
            links++;
        }
        long target = (long) n * degree / 2;
        while (links < target) {
            int u = rnd.nextInt(n);
            int v = rnd.nextInt(n);
            if (u != v && !linked(names.get(u), names.get(v))) {
                link(names.get(u), names.get(v), profile);
                links++;
            }
        }
        return names;
    }

    private List<String> addNumbered(int n) {
        int base = nodeList.size();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = "n" + (base + i);
            addNode(name);
            names.add(name);
        }
        return names;
    }

    // ---------------------------------------------------------------- transports and statistics

    /** A transport for node {@code node}: {@code open("")} or {@code open(node)} opens its link. */
    public Transport transport(String node) {
        node(node);
        return new SimTransport(this, Optional.of(node));
    }

    /** A transport that opens a link on whichever node its spec names. */
    public Transport transport() {
        return new SimTransport(this, Optional.empty());
    }

    /** What happened on the direction {@code from → to}. */
    public LinkStats stats(String from, String to) {
        return edge(from, to).stats();
    }

    /** Sums over every direction of every link, in the order the links were made. */
    public LinkStats totals() {
        LinkStats t = new LinkStats(0, 0, 0, 0, 0);
        for (Edge e : edges) {
            t = t.plus(e.stats());
        }
        return t;
    }

    Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name + " in the simulated network; add it with addNode");
        }
        return n;
    }

    private Edge edge(String from, String to) {
        Edge e = node(from).outByName.get(to);
        if (e == null) {
            throw new IllegalArgumentException("no link " + from + " -> " + to + "; make one with link()");
        }
        return e;
    }

    // ---------------------------------------------------------------- the medium

    private boolean blocked(Edge e) {
        return e.cut || (partitioned && e.from.group != e.to.group);
    }

    /** Puts one frame on one direction of a link; see {@link LinkProfile} for what can happen to it. */
    int transmit(Edge e, MemorySegment frame, long offset, int length, boolean broadcast) {
        LinkProfile p = e.profile;
        if (broadcast && !p.broadcast()) {
            return SendResult.SENT;
        }
        if (e.inFlight >= p.queueLimit()) {
            if (broadcast) {
                e.sent++;
                e.dropped++;
                return SendResult.SENT;
            }
            return SendResult.BACK_PRESSURED;
        }
        e.sent++;
        if (length > p.mtu()) {
            e.dropped++;
            return SendResult.SENT;
        }
        long now = scheduler.clock().nanos();
        long start = Math.max(now, e.busyUntil);
        long txNanos = p.bitRate() == 0 ? 0 : (length * 8L * 1_000_000_000L + p.bitRate() - 1) / p.bitRate();
        e.busyUntil = start + txNanos;
        SplittableRandom rnd = e.rnd;
        if (p.loss() > 0 && rnd.nextDouble() < p.loss()) {
            e.lost++;
            return SendResult.SENT;
        }
        if (blocked(e)) {
            e.lost++;
            return SendResult.SENT;
        }
        long jitter = p.jitter().toNanos();
        long arrival = e.busyUntil + p.latency().toNanos() + (jitter > 0 ? rnd.nextLong(jitter + 1) : 0);
        if (p.reorder() > 0 && rnd.nextDouble() < p.reorder()) {
            arrival += p.reorderDelay().toNanos();
        }
        dispatch(e, frame, offset, length, arrival);
        if (p.duplicate() > 0 && rnd.nextDouble() < p.duplicate()) {
            e.duplicated++;
            dispatch(e, frame, offset, length, arrival + 1 + (jitter > 0 ? rnd.nextLong(jitter + 1) : 0));
        }
        return SendResult.SENT;
    }

    private void dispatch(Edge e, MemorySegment frame, long offset, int length, long arrival) {
        Flight f = pool.poll();
        if (f == null) {
            f = new Flight(mtu);
        }
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, offset, f.data, 0, length);
        f.edge = e;
        f.length = length;
        e.inFlight++;
        scheduler.schedule(arrival, f);
    }

    private void arrive(Flight f) {
        Edge e = f.edge;
        e.inFlight--;
        SimLink receiver = e.to.link;
        if (blocked(e)) {
            e.lost++;
        } else if (receiver == null || !receiver.deliver(e.from.address, f.data, f.length)) {
            e.dropped++;
        } else {
            e.delivered++;
        }
        f.edge = null;
        pool.push(f);
    }

    // ---------------------------------------------------------------- internals

    static final class Node {
        final String name;
        final SimAddress address;
        final int index;
        final List<Edge> out = new ArrayList<>();
        final Map<String, Edge> outByName = new HashMap<>();
        SimLink link;
        int group;

        Node(String name, SimAddress address, int index) {
            this.name = name;
            this.address = address;
            this.index = index;
        }
    }

    static final class Edge {
        final Node from;
        final Node to;
        final SplittableRandom rnd;
        LinkProfile profile;
        boolean cut;
        long busyUntil;
        int inFlight;
        long sent;
        long delivered;
        long lost;
        long duplicated;
        long dropped;

        Edge(Node from, Node to, SplittableRandom rnd) {
            this.from = from;
            this.to = to;
            this.rnd = rnd;
        }

        LinkStats stats() {
            return new LinkStats(sent, delivered, lost, duplicated, dropped);
        }
    }

    /** A frame on its way: a pooled copy of the bytes, scheduled as its own arrival task (no lambda). */
    private final class Flight implements Runnable {
        final byte[] data;
        Edge edge;
        int length;

        Flight(int capacity) {
            this.data = new byte[capacity];
        }

        @Override
        public void run() {
            arrive(this);
        }
    }
}
