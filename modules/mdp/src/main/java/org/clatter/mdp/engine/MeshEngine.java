package org.clatter.mdp.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.mdp.Identity;
import org.clatter.mdp.Sid;
import org.clatter.mdp.codec.AddressBook;
import org.clatter.mdp.codec.AddressCodes;
import org.clatter.mdp.codec.BroadcastDedup;
import org.clatter.mdp.codec.CodecCounters;
import org.clatter.mdp.codec.DecodeResult;
import org.clatter.mdp.codec.FrameFlyweight;
import org.clatter.mdp.codec.FrameHeader;
import org.clatter.mdp.codec.FrameSecurity;
import org.clatter.mdp.codec.LinkStateRecordFlyweight;
import org.clatter.mdp.codec.LinkStateRecordWriter;
import org.clatter.mdp.codec.OverlayPacketFlyweight;
import org.clatter.mdp.codec.OverlayPacketWriter;
import org.clatter.mdp.codec.PortHeader;
import org.clatter.mdp.internal.route.LinkStateRouter;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.routing.LinkObservation;
import org.clatter.spi.routing.LinkStateAdvert;
import org.clatter.spi.routing.NextHop;
import org.clatter.spi.routing.NodeId;
import org.clatter.spi.routing.Reachability;
import org.clatter.spi.routing.Router;
import org.clatter.spi.transport.LinkAddress;

/**
 * One MDP node as a single-threaded, sans-I/O state machine (spec §4 to §7). Feed it with {@link #receive} and
 * {@link #poll}; it never reads a clock or touches a socket, so a seed and a virtual clock replay a run exactly.
 *
 * <p>What it does: neighbour discovery by broadcast ticks every 500 ms carrying link-state neighbour records
 * (with packet-seq acks and measured drop), routing adverts on change and every 5 s, next hop by the router's
 * delivery metric, reachability (self, broadcast, unicast, indirect), forwarding with TTL, broadcast flooding with
 * BPI de-duplication, per-neighbour packet and frame duplicate windows, crypted unicast ({@code crypto_box}) and
 * signed broadcast (Ed25519, source sent as its Signing ID so receivers learn the key), and the echo service on
 * port 7. Packets always carry full SIDs (always decodable; spec §3 recommendation).
 *
 * <p>Transmit queues by {@link Qos} class (spec §7, as servald keeps them): every destination (an interface's
 * broadcasts, each neighbour) has one bounded FIFO per class; packets are filled highest class first up to the MTU,
 * voice and video frames older than their bound are dropped unsent ({@code drop.stale.<class>}), a full class
 * refuses new frames ({@code drop.queue_full.<class>}). Link state, acks, address explanations and echo requests
 * sent as servald's ping sends them go in {@link Qos#MESH_MANAGEMENT}, so bulk traffic cannot starve them; datagrams
 * go in {@link Qos#ORDINARY} unless a {@code send}/{@code broadcast} overload names a class; echo answers and
 * forwarded frames keep the class they came in. With {@link #pace} an interface sends at most so many packets per
 * second and the rest wait in their queues; without it every {@link #poll} sends all that is queued.
 */
public final class MeshEngine {
    public static final long TICK_NANOS = 500_000_000L;
    public static final long NEIGHBOUR_TIMEOUT_NANOS = 5 * TICK_NANOS;
    /** servald re-adverts every 5 s; more often here, as adverts travel unacknowledged and a loss costs a period. */
    public static final long ADVERT_INTERVAL_NANOS = 1_000_000_000L;
    public static final int PORT_LINKSTATE = 2;
    public static final int PORT_ECHO = 7;
    /** Key lookup (spec §7): {@code 02} asks for the Signing ID; {@code 02 || signpk || sig(SID)} answers. */
    public static final int PORT_KEYMAP = 1;
    /** Route trace (spec §7): {@code ADDR src || ADDR dst || ADDR per hop}, each hop appends itself. */
    public static final int PORT_TRACE = 8;
    private static final int RECORDS_BYTES = 1000;
    private static final int BROADCAST_REPEATS = 2;
    private static final long REPEAT_DELAY_NANOS = 60_000_000L;
    private static final String EVENT_PREFIX = "mdp.engine.";
    /** How soon a receiver acknowledges a unicast packet that carried ACK_SOON frames. */
    private static final long ACK_DELAY_NANOS = 20_000_000L;
    /** Resend an unacknowledged unicast frame after this long, at most {@link #MAX_ATTEMPTS} sends in all. */
    private static final long RESEND_NANOS = 300_000_000L;
    private static final int MAX_ATTEMPTS = 4;
    /**
     * A frame is not resent hop by hop once this many frames were numbered after it. A stream riding on MDP has moved
     * on by at most that many packets meanwhile; a copy arriving later than that is a stale duplicate the stream
     * may take as new: MSP's 16-bit seqs wrap after 65,536 packets, 0.25 s at loopback rates, while MDP resends after
     * 300 ms (observed: a 256 MiB stream delivered a message 65,536 old). 8,192 keeps duplicates well inside the half
     * of MSP's seq space that reads as "old" (its receive ring is at most 4,096), and on a slow radio link it is
     * minutes of traffic, so normal hop retransmission is unchanged there.
     */
    static final long MAX_RESEND_SPAN = 8192;
    /**
     * Packets to one neighbour awaiting a hop ack at most; further packets go out once, asking for no hop ack and
     * untracked (counted {@code hop_ack_untracked}), until acks come back. Hop acks name packets by an 8-bit seq: with hundreds in
     * flight (a fast stream) acks were matched to the wrong packet or lost with the overwritten index, and the
     * packets were resent 300 ms later for nothing. A slow link never has this many in flight, so it keeps hop by
     * hop repair; a fast stream gets it for a share of its packets and repairs the rest itself.
     */
    static final int MAX_AWAITING_ACK = 64;
    /** At most this many neighbours at once; packets from further new senders are dropped until some time out. */
    public static final int MAX_NEIGHBOURS = 256;
    /**
     * Bytes of a SID written as an abbreviation (spec §3, code 1..31 then that many bytes). servald picks the fewest
     * bytes that tell the SID apart among those it knows (2 to 3 with few peers); a fixed 8 needs no search, makes a
     * wrong match at the receiver vanishingly unlikely whatever it knows, and lets Clatter's receivers resolve it by
     * hash instead of a scan.
     */
    public static final int ABBREVIATION_BYTES = 8;
    /**
     * The largest port header plus data a crypted unicast datagram may carry, whatever path it takes: the
     * 1,200-byte packet less a packet header naming its sender in full (37), a forwarded frame's header with full
     * source and destination and an abbreviated next hop (80) and the {@code crypto_box} nonce and MAC (40).
     * Sent by us to a neighbour the frame header takes 13 bytes, so one hop carries more; this is the bound that
     * holds on every hop. 1,043 bytes: an MSP packet of 1,033 bytes after the widest (10-byte) port header, so
     * servald's 1,024-byte MSP messages and Rhizome manifests fit.
     */
    public static final int MAX_CRYPTED_PAYLOAD = OverlayPacketFlyweight.DEFAULT_MTU - (2 + 33 + 1 + 1)
            - (1 + 33 + 33 + 1 + ABBREVIATION_BYTES + 1 + 1 + 2) - FrameSecurity.BOX_OVERHEAD;
    /** The receivers' per-frame duplicate window (spec §4.2): servald and Clatter keep 64 seqs. */
    private static final int SEQ_WINDOW = 64;

    /** Where the engine's packets go. Called only from {@link #poll}. */
    public interface Output {
        void unicast(int iface, LinkAddress to, MemorySegment packet, long offset, int length);

        void broadcast(int iface, MemorySegment packet, long offset, int length);
    }

    /** Datagrams delivered to this node (other than the ones the engine answers itself). */
    public interface Listener {
        void datagram(Sid from, long srcPort, Sid to, long dstPort, Security security, byte[] data, long nowNanos);

        /**
         * A datagram whose bytes are lent: {@code buf[off, off + len)} is valid only until this call returns (the
         * engine decrypts every frame into one array it reuses), so a listener that consumes the bytes at once
         * (MSP copies only what it must keep) saves a copy per datagram. The default copies and calls
         * {@link #datagram(Sid, long, Sid, long, Security, byte[], long)}.
         */
        default void datagram(Sid from, long srcPort, Sid to, long dstPort, Security security, byte[] buf, int off,
                              int len, long nowNanos) {
            datagram(from, srcPort, to, dstPort, security, java.util.Arrays.copyOfRange(buf, off, off + len),
                    nowNanos);
        }
    }

    /** How a datagram was protected. */
    public enum Security { PLAIN, SIGNED, CRYPTED }

    private final Crypto crypto;
    private final Identity self;
    private final Sid selfSid;
    private final NodeId selfId;
    private final byte[] selfSidBytes;
    private final byte[] signingId;
    private final byte[] seed;
    private final byte[] boxSecret;
    private final Listener listener;
    private final SplittableRandom random;
    private final LinkStateRouter router;
    private final AddressBook book;
    private final FrameSecurity security;
    private final BroadcastDedup dedup = new BroadcastDedup();
    private final CounterRegistry registry;
    private final CodecCounters counters;
    private final OverlayPacketFlyweight packet = new OverlayPacketFlyweight();
    private final FrameFlyweight frame = new FrameFlyweight();
    private final LinkStateRecordFlyweight record = new LinkStateRecordFlyweight();
    private final PortHeader ports = new PortHeader();
    private final OverlayPacketWriter writer = new OverlayPacketWriter();
    private final byte[] out = new byte[OverlayPacketFlyweight.DEFAULT_MTU];
    private final MemorySegment outSeg = MemorySegment.ofArray(out);
    private final byte[] plain = new byte[0x10000];
    /** Received frames are opened into this one, never into {@link #plain} (the send scratch), so a listener that
     * sends while it reads a lent datagram cannot overwrite it. */
    private final byte[] opened = new byte[0x10000];
    private final byte[] sealed = new byte[0x10000];
    private final byte[] nonce = new byte[24];
    private final List<Boolean> interfaces = new ArrayList<>();
    private final List<List<LinkAddress>> staticPeers = new ArrayList<>();
    private final Map<Sid, Neighbour> neighbours = new LinkedHashMap<>();
    private final List<OverlayQueues<Queued>> broadcastQueues = new ArrayList<>();
    /** Per interface: packets allowed per second (0 = unpaced), the burst, the tokens left and when last refilled. */
    private final List<long[]> pacing = new ArrayList<>();
    /** Packets sent so far, and per interface when its broadcasts last got one (round robin on ties). */
    private long served;
    private long[] broadcastServed = new long[4];
    /** The latest time the engine was told (stamps queued frames). */
    private long clock = Long.MIN_VALUE;
    /** The class the current {@code send}/{@code broadcast} queues its frame in. */
    private Qos sendQos = Qos.ORDINARY;
    private final List<Integer> broadcastSeq = new ArrayList<>();
    private final TreeSet<Sid> advertised = new TreeSet<>();
    private long nextTick = Long.MIN_VALUE;
    private long nextAdvert = Long.MIN_VALUE;
    private boolean routesChanged;
    private int mdpSeq;
    /** Frames numbered so far (never wraps): how far {@link #mdpSeq} has moved since a frame was sent. */
    private long framesNumbered;
    /** Set around one send by {@link #sendWithoutHopAck}. */
    private boolean noHopAck;

    private int nextSeq() {
        framesNumbered++;
        return mdpSeq++;
    }
    private static final long EXPLAIN_INTERVAL_NANOS = 500_000_000L;
    /** The interface of the packet being received (-1 outside {@link #receive}). */
    private int currentIface = -1;
    private final Map<String, Long> explainAsked = new HashMap<>();
    private final Map<Sid, Long> explained = new HashMap<>();
    private final Map<Integer, java.io.ByteArrayOutputStream> explainPending = new java.util.TreeMap<>();

    /**
     * @param seed drives every random choice (tick phase, broadcast ids, nonces are from the crypto provider)
     */
    public MeshEngine(Crypto crypto, Identity self, long seed, Listener listener) {
        this(crypto, self, seed, listener, new CounterRegistry());
    }

    /** @param registry where the engine counts ({@code mdp.decode.*} and {@code mdp.engine.*}) */
    public MeshEngine(Crypto crypto, Identity self, long seed, Listener listener, CounterRegistry registry) {
        this.registry = registry;
        this.counters = new CodecCounters(registry, "mdp.decode");
        this.crypto = crypto;
        this.self = self;
        this.selfSid = self.sid();
        this.selfId = selfSid.toNodeId();
        this.selfSidBytes = selfSid.toBytes();
        this.signingId = self.signingId();
        this.seed = self.seed();
        this.boxSecret = self.boxSecret();
        this.listener = listener;
        this.random = new SplittableRandom(seed);
        this.router = new LinkStateRouter(selfId, 6 * ADVERT_INTERVAL_NANOS, 3 * ADVERT_INTERVAL_NANOS);
        this.book = new AddressBook(crypto);
        this.security = new FrameSecurity(crypto);
        book.addLocal(selfSid);
        book.addSigningKey(selfSid, signingId);
    }

    /** Adds an interface (a link); returns its index. */
    public int addInterface(boolean canBroadcast) {
        interfaces.add(canBroadcast);
        staticPeers.add(new ArrayList<>());
        broadcastQueues.add(new OverlayQueues<>(registry, EVENT_PREFIX));
        pacing.add(new long[] {0, 0, 0, 0});
        if (broadcastServed.length < interfaces.size()) {
            broadcastServed = java.util.Arrays.copyOf(broadcastServed, 2 * interfaces.size());
        }
        broadcastSeq.add(0);
        return interfaces.size() - 1;
    }

    /**
     * A peer address that hears this interface's broadcasts only by unicast (servald's configured hosts): every
     * broadcast packet is also sent to it. Use it where broadcast does not reach, e.g. between loopback addresses
     * without a broadcast address.
     */
    public void addStaticPeer(int iface, LinkAddress address) {
        staticPeers.get(iface).add(address);
    }

    public Sid sid() {
        return selfSid;
    }

    private final Map<Sid, Identity> secondaries = new LinkedHashMap<>();

    /**
     * Serves another identity on this node (servald serves every unlocked keyring identity): frames addressed to
     * its SID are delivered here, its echo and keymap requests are answered as it, it is advertised as reachable
     * through this node (a route record whose last hop is this node), and {@link #send(Identity, Sid, long, long,
     * Security, byte[], int, int, long)} sends as it.
     */
    public void addIdentity(Identity id) {
        if (id.sid().equals(selfSid) || secondaries.containsKey(id.sid())) {
            return;
        }
        secondaries.put(id.sid(), id);
        book.addLocal(id.sid());
        book.addSigningKey(id.sid(), id.signingId());
        routesChanged = true;
    }

    /** Every identity served, the primary first. */
    public List<Identity> identities() {
        List<Identity> all = new ArrayList<>();
        all.add(self);
        all.addAll(secondaries.values());
        return all;
    }

    /** Whether {@code sid} is one of this node's identities. */
    public boolean isLocal(Sid sid) {
        return sid.equals(selfSid) || (!secondaries.isEmpty() && secondaries.containsKey(sid));
    }

    public Identity identity() {
        return self;
    }

    public Router router() {
        return router;
    }

    /** Decoder outcomes (bad packets and frames). */
    public CodecCounters counters() {
        return counters;
    }

    /** Engine events by name, without the {@code mdp.engine.} prefix: {@code duplicate_packet}, {@code forwarded}, ... */
    public Map<String, Long> events() {
        Map<String, Long> m = new java.util.TreeMap<>();
        registry.snapshot().forEach((k, v) -> {
            if (k.startsWith(EVENT_PREFIX)) {
                m.put(k.substring(EVENT_PREFIX.length()), v);
            }
        });
        return m;
    }

    public long event(String name) {
        return counter(name).get();
    }

    public CounterRegistry registry() {
        return registry;
    }

    private void count(String name) {
        counter(name).increment();
    }

    /** The event counter {@code name} (names are literals, so the map's lookups hash nothing new). */
    private org.clatter.core.metrics.Counter counter(String name) {
        org.clatter.core.metrics.Counter c = eventCounters.get(name);
        if (c == null) {
            c = registry.counter(EVENT_PREFIX + name);
            eventCounters.put(name, c);
        }
        return c;
    }

    private final Map<String, org.clatter.core.metrics.Counter> eventCounters = new HashMap<>();

    public Reachability reachability(Sid sid) {
        return router.reachability(sid.toNodeId());
    }

    /** SIDs reachable now (unicast or indirect), sorted. */
    public List<Sid> peers() {
        List<Sid> out = new ArrayList<>();
        for (Router.RouteEntry e : router.table()) {
            if (e.reachability() == Reachability.UNICAST || e.reachability() == Reachability.INDIRECT) {
                out.add(Sid.of(e.node()));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------- receive

    /** Handles one received UDP payload (or simulated frame). The bytes are only read during the call. */
    public void receive(int iface, LinkAddress from, MemorySegment seg, long off, int len, long now) {
        clock = Math.max(clock, now);
        counters.packet();
        int r = packet.wrap(seg, off, len);
        if (r != DecodeResult.OK) {
            counters.count(r);
            return;
        }
        r = book.beginPacket(seg, packet.senderOffset());
        Sid sender;
        if (r == DecodeResult.OK) {
            sender = book.resolved();
        } else {
            Sid byAddress = r == DecodeResult.UNRESOLVED_ADDRESS
                    ? neighbourAt(iface, from, seg, packet.senderOffset()) : null;
            if (byAddress == null) {
                counters.count(r);
                askExplain(iface, seg, packet.senderOffset(), now);
                return;
            }
            book.beginPacket(byAddress);
            count("sender_by_address");
            sender = byAddress;
        }
        if (sender.equals(selfSid)) {
            count("own_packet");
            return;
        }
        Neighbour n = neighbours.get(sender);
        if (n == null) {
            if (neighbours.size() >= MAX_NEIGHBOURS) {
                // A flood of packets from made-up SIDs must not grow the table (and our link-state records) unbounded.
                count("neighbour_table_full");
                return;
            }
            n = new Neighbour(sender, new OverlayQueues<>(registry, EVENT_PREFIX));
            neighbours.put(sender, n);
            count("neighbour_new");
        }
        if (packet.seq() >= 0 && !(packet.unicast() ? n.unicastIn : n.broadcastIn).accept(packet.seq())) {
            count("duplicate_packet");
            return;
        }
        // Only a fresh packet moves the neighbour's address: a replayed one must not redirect our unicasts.
        n.iface = iface;
        n.address = from;
        n.lastHeard = now;
        n.theirInterface = packet.interfaceId();
        n.heardUnicast |= packet.unicast();
        for (int fr = frame.first(packet); fr != DecodeResult.END; fr = frame.next()) {
            counters.frame();
            if (fr != DecodeResult.OK) {
                counters.count(fr);
                return;
            }
            if (packet.unicast() && packet.seq() >= 0 && frame.has(FrameFlyweight.F_ACK_SOON)) {
                // Ack within ACK_DELAY, or at once when half the 32-packet ack mask is waiting (fast senders).
                n.ackDue = ++n.unackedPackets >= 16 ? now : Math.min(n.ackDue, now + ACK_DELAY_NANOS);
            }
            if (frame.mdpSeq() >= 0 && !n.framesIn.accept(frame.mdpSeq())) {
                count("duplicate_frame");
                continue;
            }
            currentIface = iface;
            handleFrame(n, sender, now);
        }
    }

    /**
     * The neighbour last heard at {@code from} on {@code iface} whose SID starts with the abbreviation at
     * {@code off}, if exactly one: a sender abbreviation that matches several known SIDs (junk, or a flood of
     * made-up SIDs sharing its prefix) still names the neighbour that sends from that address.
     */
    private Sid neighbourAt(int iface, LinkAddress from, MemorySegment seg, long off) {
        int code = seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off) & 0xff;
        if (code < 1 || code > 31 || from == null) {
            return null;
        }
        MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, off + 1, prefixScratch, 0, code);
        Sid found = null;
        for (Neighbour n : neighbours.values()) {
            if (n.iface == iface && from.equals(n.address) && n.sid.startsWith(prefixScratch, 0, code)) {
                if (found != null) {
                    return null;
                }
                found = n.sid;
            }
        }
        return found;
    }

    private final byte[] prefixScratch = new byte[32];

    /**
     * Queues a please-explain request (spec §3) for the abbreviation at {@code off}, at most once per 500 ms per
     * prefix; servald abbreviates its own and others' SIDs once it thinks we know them.
     */
    private void askExplain(int iface, MemorySegment seg, long off, long now) {
        int code = seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off) & 0xff;
        if (code < 1 || code > 31 || iface < 0 || iface >= interfaces.size()) {
            return;
        }
        byte[] entry = new byte[code + 1];
        MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, off, entry, 0, entry.length);
        String key = iface + ":" + java.util.HexFormat.of().formatHex(entry);
        Long last = explainAsked.get(key);
        if (last != null && now - last < EXPLAIN_INTERVAL_NANOS) {
            return;
        }
        if (explainAsked.size() > 1024) {
            explainAsked.clear();
        }
        explainAsked.put(key, now);
        java.io.ByteArrayOutputStream pending = explainPending.computeIfAbsent(iface,
                i -> new java.io.ByteArrayOutputStream());
        if (pending.size() + entry.length <= RECORDS_BYTES) {
            pending.writeBytes(entry);
            count("explain_asked");
        }
    }

    /** Answers or learns from a please-explain frame (spec §3): abbreviations we know get full SIDs back. */
    private void pleaseExplain(Sid source, long now) {
        MemorySegment seg = frame.segment();
        long p = frame.payloadOffset();
        long end = p + frame.payloadLength();
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        boolean asked = false;
        while (p < end) {
            int code = seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p) & 0xff;
            if (code == AddressCodes.P2P_YOU) {
                explainSid(answer, selfSid, now);
                asked = true;
                p++;
                continue;
            }
            int n = AddressCodes.measure(seg, p, end);
            if (n < 0 || (code > AddressCodes.FULL && code != AddressCodes.SIGNKEY) || code == 0) {
                counters.count(DecodeResult.BAD_ADDRESS);
                return;
            }
            if (code == AddressCodes.FULL || code == AddressCodes.SIGNKEY) {
                if (book.resolve(seg, p) == DecodeResult.OK) {
                    count("explained_to_us");
                }
            } else {
                asked = true;
                byte[] prefix = new byte[code];
                MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, p + 1, prefix, 0, code);
                for (Sid known : book.known()) {
                    if (known.startsWith(prefix, 0, code) && !known.isBroadcast()) {
                        explainSid(answer, known, now);
                    }
                }
            }
            p += n;
        }
        if (asked) {
            sendFull(source, now);
        }
        if (answer.size() == 0) {
            return;
        }
        count("explained");
        FrameHeader h = new FrameHeader().clear();
        h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_ONE_HOP);
        h.type(FrameFlyweight.TYPE_PLEASE_EXPLAIN);
        h.ttlQos(1, 0);
        Neighbour n = neighbours.get(source);
        if (n != null && n.address != null) {
            h.destination(AddressCodes.FULL, source.toBytes(), 0);
            n.queue.offer(new Queued(h, answer.toByteArray(), Qos.MESH_MANAGEMENT.ordinal(), clock));
        } else if (currentIface >= 0) {
            h.flags(h.flags() | FrameFlyweight.F_TO_BROADCAST);
            enqueueBroadcast(currentIface, h, answer.toByteArray(), false, Qos.MESH_MANAGEMENT.ordinal());
        }
    }

    /** How long a neighbour that asked us to explain an address gets every address in full. */
    private static final long FULL_AFTER_EXPLAIN_NANOS = 30_000_000_000L;

    /**
     * A neighbour asked us to explain an address it could not resolve (it restarted, or knows another SID with the
     * same prefix): our packets to it name every SID in full for a while, and name us in full until its link state
     * shows it resolved us again (spec §3, "send full").
     */
    private void sendFull(Sid asker, long now) {
        Neighbour n = neighbours.get(asker);
        if (n != null) {
            n.knowsUs = false;
            n.fullUntil = now + FULL_AFTER_EXPLAIN_NANOS;
            count("abbreviation_explained");
        }
    }

    private void explainSid(java.io.ByteArrayOutputStream answer, Sid sid, long now) {
        Long last = explained.get(sid);
        if (last != null && now - last < EXPLAIN_INTERVAL_NANOS) {
            return;
        }
        explained.put(sid, now);
        answer.write(AddressCodes.FULL);
        answer.writeBytes(sid.toBytes());
    }

    private void handleFrame(Neighbour n, Sid sender, long now) {
        MemorySegment seg = frame.segment();
        Sid source = sender;
        if (frame.sourceOffset() >= 0) {
            if (book.resolve(seg, frame.sourceOffset()) != DecodeResult.OK) {
                counters.count(DecodeResult.UNRESOLVED_ADDRESS);
                askExplain(currentIface, seg, frame.sourceOffset(), now);
                return;
            }
            source = book.resolved();
        }
        if (isLocal(source)) {
            count("own_frame");
            return;
        }
        int ttl = frame.ttl();
        if (frame.broadcast()) {
            if (!frame.has(FrameFlyweight.F_ONE_HOP)) {
                if (!dedup.firstSighting(frame.bpi())) {
                    count("duplicate_broadcast");
                    return;
                }
                if (ttl > 1) {
                    forward(source, Sid.BROADCAST, ttl - 1, now);
                }
            }
            process(source, Sid.BROADCAST, now);
            return;
        }
        if (book.resolve(seg, frame.destinationOffset()) != DecodeResult.OK) {
            counters.count(DecodeResult.UNRESOLVED_ADDRESS);
            askExplain(currentIface, seg, frame.destinationOffset(), now);
            return;
        }
        Sid destination = book.resolved();
        if (isLocal(destination)) {
            process(source, destination, now);
            return;
        }
        Sid nextHop = destination;
        if (frame.nextHopOffset() >= 0) {
            if (book.resolve(seg, frame.nextHopOffset()) != DecodeResult.OK) {
                counters.count(DecodeResult.UNRESOLVED_ADDRESS);
                askExplain(currentIface, seg, frame.nextHopOffset(), now);
                return;
            }
            nextHop = book.resolved();
        }
        if (!nextHop.equals(selfSid) || frame.has(FrameFlyweight.F_ONE_HOP)) {
            count("not_for_us");
            return;
        }
        if (ttl <= 1) {
            count("ttl_expired");
            return;
        }
        forward(source, destination, ttl - 1, now);
    }

    /** Re-queues the current frame with a new header in our packet context (full SIDs). */
    private void forward(Sid source, Sid destination, int ttl, long now) {
        FrameHeader h = new FrameHeader().clear();
        int flags = frame.flags() & ~(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_ONE_HOP);
        h.flags(flags);
        Optional<byte[]> key = frame.has(FrameFlyweight.F_SIGNED) ? book.signingKey(source) : Optional.empty();
        if (key.isPresent()) {
            // Receivers further on need the key to verify: pass the source on as its Signing ID (spec §3, 0xFB).
            h.source(AddressCodes.SIGNKEY, key.get(), 0);
        } else {
            h.source(AddressCodes.FULL, source.toBytes(), 0);
        }
        h.ttlQos(ttl, frame.qos());
        if (frame.type() != FrameFlyweight.TYPE_DATA) {
            h.type(frame.type());
        }
        byte[] payload = new byte[frame.payloadLength()];
        MemorySegment.copy(frame.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, frame.payloadOffset(), payload, 0,
                payload.length);
        if (destination.isBroadcast()) {
            h.broadcast(frame.bpi());
            for (int i = 0; i < interfaces.size(); i++) {
                if (interfaces.get(i)) {
                    enqueueBroadcast(i, h, payload, true, Qos.ofWire(frame.qos()).ordinal());
                }
            }
            count("flooded");
            return;
        }
        routesChanged |= router.recompute(now);
        Optional<NextHop> hop = router.nextHop(destination.toNodeId());
        if (hop.isEmpty()) {
            count("no_route");
            return;
        }
        // ACK_SOON as the frame came: a frame its source sent end to end (no hop ack) stays so on every hop.
        address(h, destination, hop.get().neighbour(), now);
        if (enqueueUnicast(Sid.of(hop.get().neighbour()), h, payload, Qos.ofWire(frame.qos()).ordinal())) {
            count("forwarded");
        }
    }

    private void process(Sid source, Sid destination, long now) {
        if (frame.type() == FrameFlyweight.TYPE_PLEASE_EXPLAIN) {
            pleaseExplain(source, now);
            return;
        }
        if (frame.type() != FrameFlyweight.TYPE_DATA) {
            count("legacy_type_ignored");
            return;
        }
        MemorySegment seg = frame.segment();
        int len = frame.payloadLength();
        boolean ciphered = frame.has(FrameFlyweight.F_CIPHERED);
        boolean signed = frame.has(FrameFlyweight.F_SIGNED);
        Security sec;
        int bodyLen;
        if (ciphered && signed) {
            Identity to = destination.equals(selfSid) ? null : secondaries.get(destination);
            int r = to == null
                    ? security.open(seg, frame.payloadOffset(), len, source, selfSid, boxSecret, opened, 0)
                    : security.open(seg, frame.payloadOffset(), len, source, to.sid(), to.boxSecret(), opened, 0);
            if (r != DecodeResult.OK) {
                counters.count(r);
                return;
            }
            sec = Security.CRYPTED;
            bodyLen = len - FrameSecurity.BOX_OVERHEAD;
        } else if (ciphered) {
            counters.count(DecodeResult.CIPHERED_UNSIGNED);
            return;
        } else if (signed) {
            Optional<byte[]> key = book.signingKey(source);
            if (key.isEmpty()) {
                counters.count(DecodeResult.UNKNOWN_KEY);
                requestKey(source, now);
                return;
            }
            int r = security.verify(seg, frame.payloadOffset(), len, key.get());
            if (r != DecodeResult.OK) {
                counters.count(r);
                return;
            }
            sec = Security.SIGNED;
            bodyLen = len - FrameSecurity.SIGNATURE;
            MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, frame.payloadOffset(), opened, 0, bodyLen);
        } else {
            sec = Security.PLAIN;
            bodyLen = len;
            MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, frame.payloadOffset(), opened, 0, bodyLen);
        }
        MemorySegment body = MemorySegment.ofArray(opened);
        int r = ports.read(body, 0, bodyLen);
        if (r != DecodeResult.OK) {
            counters.count(r);
            return;
        }
        long dst = ports.dst();
        long src = ports.src();
        int hdr = ports.length();
        if (dst == PORT_LINKSTATE && sec == Security.PLAIN) {
            linkState(source, body, hdr, bodyLen, now);
            return;
        }
        if (dst != PORT_KEYMAP && dst != PORT_TRACE && dst != PORT_ECHO) {
            count("delivered");
            listener.datagram(source, src, destination, dst, sec, opened, hdr, bodyLen - hdr, now);
            return;
        }
        byte[] data = java.util.Arrays.copyOfRange(opened, hdr, bodyLen);
        Identity secondary = secondaries.isEmpty() ? null : secondaries.get(destination);
        if (dst == PORT_KEYMAP && secondary != null && data.length == 1 && data[0] == 2) {
            byte[] reply = new byte[1 + 32 + 64];
            reply[0] = 2;
            secondary.copySigningId(reply, 1);
            crypto.ed25519Sign(secondary.seed(), 0, secondary.signingId(), 0, destination.toBytes(), 0, 32, reply, 33);
            count("keymap_answered");
            send(secondary, source, src, PORT_KEYMAP, Security.CRYPTED, reply, 0, reply.length, now);
            return;
        }
        if (dst == PORT_KEYMAP && keymap(source, src, data, now)) {
            return;
        }
        if (dst == PORT_TRACE && src != PORT_TRACE && trace(source, src, sec, data, now)) {
            return;
        }
        if (dst == PORT_ECHO && src != PORT_ECHO) {
            count("echo_answered");
            Identity as = secondaries.get(destination);
            Qos before = sendQos;
            sendQos = Qos.ofWire(frame.qos()); // the answer travels in the request's class
            try {
                if (as != null) {
                    send(as, source, src, PORT_ECHO, Security.CRYPTED, data, 0, data.length, now);
                } else {
                    send(source, src, PORT_ECHO, data, 0, data.length, now);
                }
            } finally {
                sendQos = before;
            }
            return;
        }
        count("delivered");
        listener.datagram(source, src, destination, dst, sec, data, now);
    }

    /**
     * The keymap service (spec §7, port 1): answers a request {@code 02} with {@code 02 || signpk || Ed25519(SID)}
     * (servald asks when it sees our signed frames and needs the key), and learns a peer's Signing ID from a
     * reply whose signature over the peer's SID verifies.
     *
     * @return whether the datagram was a keymap message
     */
    /**
     * Asks a node for its Signing ID (crypted {@code 02} to its port 1, as servald does when a signed frame comes from
     * a key it does not know, e.g. a broadcast ping whose source is a plain SID); at most once a second per SID. The
     * frame that needed it is dropped; the reply is learnt by {@link #keymap}.
     */
    private void requestKey(Sid source, long now) {
        Long last = keyRequested.get(source);
        if (last != null && now - last < KEY_REQUEST_INTERVAL_NANOS) {
            return;
        }
        if (keyRequested.size() > 1024) {
            keyRequested.clear();
        }
        keyRequested.put(source, now);
        if (send(source, PORT_KEYMAP, PORT_KEYMAP, KEY_REQUEST, 0, 1, now)) {
            count("keymap_requested");
        }
    }

    private static final byte[] KEY_REQUEST = {2};
    private static final long KEY_REQUEST_INTERVAL_NANOS = 1_000_000_000L;
    private final Map<Sid, Long> keyRequested = new HashMap<>();

    private boolean keymap(Sid source, long srcPort, byte[] data, long now) {
        if (data.length == 1 && data[0] == 2) {
            byte[] reply = new byte[1 + 32 + 64];
            reply[0] = 2;
            System.arraycopy(signingId, 0, reply, 1, 32);
            crypto.ed25519Sign(seed, 0, signingId, 0, selfSidBytes, 0, 32, reply, 33);
            count("keymap_answered");
            send(source, srcPort, PORT_KEYMAP, reply, 0, reply.length, now);
            return true;
        }
        if (data.length == 97 && data[0] == 2) {
            byte[] key = java.util.Arrays.copyOfRange(data, 1, 33);
            if (security.verifyRaw(key, 0, source.toBytes(), data, 33) && book.addSigningKey(source, key)) {
                count("keymap_learnt");
            } else {
                count("keymap_bad_reply");
            }
            return true;
        }
        return false;
    }

    /**
     * The trace service (spec §7, port 8), as servald runs it: each node appends its full SID and passes the list on
     * toward the destination (its neighbour, or the next hop to it); the destination, or a node with no route,
     * sends it back along the list; when it is back at its source, the list is delivered to the asking port.
     *
     * @return false when the list does not parse (then the datagram is delivered as it is)
     */
    private boolean trace(Sid from, long srcPort, Security sec, byte[] data, long now) {
        MemorySegment seg = MemorySegment.ofArray(data);
        book.beginContext(from);
        Sid src;
        Sid dst;
        Sid next = null;
        Sid last = null;
        try {
            long p = 0;
            Sid[] ends = new Sid[2];
            for (int i = 0; i < 2; i++) {
                int n = AddressCodes.measure(seg, p, data.length);
                if (n < 0 || book.resolve(seg, p) != DecodeResult.OK) {
                    count("trace_bad");
                    return false;
                }
                ends[i] = book.resolved();
                p += n;
            }
            src = ends[0];
            dst = ends[1];
            while (p < data.length) {
                int n = AddressCodes.measure(seg, p, data.length);
                if (n < 0 || book.resolve(seg, p) != DecodeResult.OK) {
                    count("trace_bad");
                    return false;
                }
                Sid hop = book.resolved();
                if (hop.equals(selfSid) && next == null) {
                    next = last;
                }
                last = hop;
                p += n;
            }
        } finally {
            book.endContext();
        }
        if (src.equals(selfSid) && last != null) {
            count("trace_returned");
            listener.datagram(from, PORT_TRACE, selfSid, srcPort, sec, data, now);
            return true;
        }
        if (next == null) {
            routesChanged |= router.recompute(now);
            Reachability r = router.reachability(dst.toNodeId());
            if (r == Reachability.UNICAST || r == Reachability.INDIRECT) {
                next = r == Reachability.UNICAST ? dst
                        : router.nextHop(dst.toNodeId()).map(h -> Sid.of(h.neighbour())).orElse(null);
            }
            if (next == null) {
                next = last != null ? last : src;
            }
        }
        byte[] out = java.util.Arrays.copyOf(data, data.length + 33);
        out[data.length] = (byte) AddressCodes.FULL;
        selfSid.copyTo(out, data.length + 1);
        count("trace_forwarded");
        send(next, PORT_TRACE, srcPort, out, 0, out.length, now);
        return true;
    }

    private void linkState(Sid advertiser, MemorySegment body, int from, int end, long now) {
        NodeId adv = advertiser.toNodeId();
        book.beginContext(advertiser);
        try {
            int r;
            for (r = record.first(body, from, end); r == DecodeResult.OK; r = record.next()) {
                if (book.resolve(body, record.receiverOffset()) != DecodeResult.OK) {
                    counters.count(DecodeResult.UNRESOLVED_ADDRESS);
                    askExplain(currentIface, body, record.receiverOffset(), now);
                    continue;
                }
                Sid receiver = book.resolved();
                double drop = record.dropRate() < 0 ? 0 : Math.min(1.0, record.dropRate() / 32.0);
                if (record.has(LinkStateRecordFlyweight.NO_PATH)) {
                    count("no_path_heard");
                    router.withdraw(adv, receiver.toNodeId(), now);
                    continue;
                }
                if (book.resolve(body, record.transmitterOffset()) != DecodeResult.OK) {
                    counters.count(DecodeResult.UNRESOLVED_ADDRESS);
                    askExplain(currentIface, body, record.transmitterOffset(), now);
                    continue;
                }
                Sid transmitter = book.resolved();
                if (receiver.equals(advertiser)) {
                    if (transmitter.equals(selfSid)) {
                        Neighbour n = neighbours.get(advertiser);
                        if (n != null) {
                            // Any record "advertiser hears us" counts: servald flags it UNICAST once its best link to
                            // us is unicast, and its acks then name our unicast packet seqs.
                            if (record.has(LinkStateRecordFlyweight.UNICAST) && record.ackSeq() >= 0) {
                                acknowledged(n, record.ackSeq(), record.ackMask());
                            }
                            n.hearsUs = true;
                            n.knowsUs = true; // it resolved us: our packets to it may abbreviate our SID
                            n.hearsUsAt = now;
                            if (record.dropRate() >= 0 || !record.has(LinkStateRecordFlyweight.UNICAST)) {
                                n.theirDropOfUs = drop;
                            }
                        }
                    } else {
                        router.advertReceived(new LinkStateAdvert(adv, adv, transmitter.toNodeId(), drop,
                                record.version(), now));
                    }
                } else if (!isLocal(receiver)) {
                    count("route_record_heard");
                    router.advertReceived(new LinkStateAdvert(adv, receiver.toNodeId(), transmitter.toNodeId(), drop,
                            record.version(), now));
                }
            }
            if (r != DecodeResult.END) {
                counters.count(r);
            }
        } finally {
            book.endContext();
        }

    }

    // ------------------------------------------------------------------------------------------------------- send

    /**
     * Sends a crypted unicast datagram (spec §5: {@code crypto_box} to the destination's SID).
     *
     * @return false when there is no route (counted as {@code no_route})
     */
    public boolean send(Sid destination, long dstPort, long srcPort, byte[] data, int off, int len, long now) {
        return send(destination, dstPort, srcPort, Security.CRYPTED, data, off, len, now);
    }

    /**
     * Sends a unicast datagram protected as {@code sec} asks: {@link Security#CRYPTED} ({@code crypto_box}, the
     * default), {@link Security#SIGNED} (Ed25519 over SHA-512 of port header and data; the source is sent as its
     * Signing ID so receivers can verify) or {@link Security#PLAIN}.
     *
     * @return false when there is no route (counted as {@code no_route})
     */
    public boolean send(Sid destination, long dstPort, long srcPort, Security sec, byte[] data, int off, int len,
                        long now) {
        return sendFrom(selfSid, seed, signingId, boxSecret, true, destination, dstPort, srcPort, sec, data, off,
                len, now);
    }

    /**
     * Sends a unicast datagram as {@code from}, one of this node's identities (the primary, or one added with
     * {@link #addIdentity}): the frame names {@code from} as its source and is crypted or signed with its keys.
     *
     * @return false when there is no route, or {@code from} is not served here (counted)
     */
    /**
     * As {@link #send(Identity, Sid, long, long, Security, byte[], int, int, long)}, but this one datagram asks for
     * no per-hop ack and is never resent hop by hop, whatever its port: for messages a later one supersedes (MSP's
     * acks), which a late copy could only confuse.
     */
    public boolean sendWithoutHopAck(Identity from, Sid destination, long dstPort, long srcPort, Security sec,
                                     byte[] data, int off, int len, long now) {
        boolean before = noHopAck;
        noHopAck = true;
        try {
            return send(from, destination, dstPort, srcPort, sec, data, off, len, now);
        } finally {
            noHopAck = before;
        }
    }

    public boolean send(Identity from, Sid destination, long dstPort, long srcPort, Security sec, byte[] data,
                        int off, int len, long now) {
        clock = Math.max(clock, now);
        if (from.sid().equals(selfSid)) {
            return send(destination, dstPort, srcPort, sec, data, off, len, now);
        }
        if (!secondaries.containsKey(from.sid())) {
            count("not_local_identity");
            return false;
        }
        return sendFrom(from.sid(), from.seed(), from.signingId(), from.boxSecret(), false, destination, dstPort,
                srcPort, sec, data, off, len, now);
    }

    /**
     * The one unicast send path, for the primary identity (the packets' sender, so crypted and plain frames say
     * "sender same" instead of naming it) and for secondary ones (named in full).
     */
    private boolean sendFrom(Sid src, byte[] srcSeed, byte[] srcSigningId, byte[] srcBoxSecret, boolean primary,
                             Sid destination, long dstPort, long srcPort, Security sec, byte[] data, int off,
                             int len, long now) {
        clock = Math.max(clock, now);
        // Routes follow news at once (cheap when nothing changed); adverts telling others wait for the tick.
        routesChanged |= router.recompute(now);
        Optional<NextHop> hop = router.nextHop(destination.toNodeId());
        if (hop.isEmpty()) {
            count("no_route");
            return false;
        }
        int p = PortHeader.write(dstPort, srcPort, plain, 0);
        System.arraycopy(data, off, plain, p, len);
        FrameHeader h = new FrameHeader().clear();
        byte[] payload;
        int flags = noHopAck || isEndToEnd(srcPort) ? 0 : FrameFlyweight.F_ACK_SOON;
        if (sec == Security.SIGNED) {
            int n = security.sign(srcSeed, srcSigningId, plain, 0, p + len, sealed, 0);
            flags |= FrameFlyweight.F_SIGNED;
            h.source(AddressCodes.SIGNKEY, srcSigningId, 0);
            payload = java.util.Arrays.copyOf(sealed, n);
        } else {
            if (sec == Security.CRYPTED) {
                security.nextNonce(nonce);
                // Sealed straight into the queued frame's array (it is allocated anyway): no second copy.
                payload = new byte[p + len + FrameSecurity.BOX_OVERHEAD];
                if (!security.seal(nonce, destination, src, srcBoxSecret, plain, 0, p + len, payload, 0)) {
                    count("bad_peer_key");
                    return false;
                }
                flags |= FrameFlyweight.F_CIPHERED | FrameFlyweight.F_SIGNED;
            } else {
                payload = java.util.Arrays.copyOf(plain, p + len);
            }
            if (primary) {
                flags |= FrameFlyweight.F_SENDER_SAME;
            } else {
                h.source(AddressCodes.FULL, src.toBytes(), 0);
            }
        }
        h.flags(flags);
        h.ttlQos(FrameFlyweight.TTL_MAX, sendQos.wire());
        address(h, destination, hop.get().neighbour(), now);
        return enqueueUnicast(Sid.of(hop.get().neighbour()), h, payload, sendQos.ordinal());
    }

    /**
     * Addresses a unicast frame (spec §3 encoder rules): to a neighbour, the destination abbreviated (the receiver
     * knows its own SID) and the next hop as {@code PREVIOUS}; further on, the destination in full (the next hop may
     * not know it) and the next hop abbreviated. In full while the neighbour recently asked for an explanation.
     */
    private void address(FrameHeader h, Sid destination, NodeId nextHop, long now) {
        Neighbour n = neighbours.get(Sid.of(nextHop));
        int code = n != null && now >= n.fullUntil ? ABBREVIATION_BYTES : AddressCodes.FULL;
        if (destination.toNodeId().equals(nextHop)) {
            h.destination(code, destination.toBytes(), 0);
            h.nextHop(AddressCodes.PREVIOUS, EMPTY, 0);
        } else {
            h.destination(AddressCodes.FULL, destination.toBytes(), 0);
            h.nextHop(code, nextHop.toBytes(), 0);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /** Floods a signed broadcast datagram (spec §5, SIGNED only) to every node within {@code ttl} hops. */
    public void broadcast(long dstPort, long srcPort, byte[] data, int off, int len, int ttl, long now) {
        broadcast(dstPort, srcPort, Security.SIGNED, data, off, len, ttl, now);
    }

    /**
     * Floods a broadcast datagram, {@link Security#SIGNED} (the default) or {@link Security#PLAIN}; a broadcast
     * cannot be crypted (asking for it sends it signed).
     */
    public void broadcast(long dstPort, long srcPort, Security sec, byte[] data, int off, int len, int ttl,
                          long now) {
        clock = Math.max(clock, now);
        int p = PortHeader.write(dstPort, srcPort, plain, 0);
        System.arraycopy(data, off, plain, p, len);
        FrameHeader h = new FrameHeader().clear();
        int n;
        if (sec == Security.PLAIN) {
            System.arraycopy(plain, 0, sealed, 0, p + len);
            n = p + len;
            h.flags(0);
            h.source(AddressCodes.FULL, selfSidBytes, 0);
        } else {
            n = security.sign(seed, signingId, plain, 0, p + len, sealed, 0);
            h.flags(FrameFlyweight.F_SIGNED);
            h.source(AddressCodes.SIGNKEY, signingId, 0);
        }
        long bpi = random.nextLong();
        dedup.firstSighting(bpi);
        h.broadcast(bpi);
        h.ttlQos(Math.max(1, Math.min(FrameFlyweight.TTL_MAX, ttl)), sendQos.wire());
        byte[] payload = java.util.Arrays.copyOf(sealed, n);
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i)) {
                enqueueBroadcast(i, h, payload, true, sendQos.ordinal());
            }
        }
    }

    /**
     * {@link #send(Sid, long, long, Security, byte[], int, int, long)} in transmit class {@code qos} (its wire value
     * goes in the frame; {@link Qos#OPPORTUNISTIC} is sent as 3). The frame is dropped when that class's queue for
     * the next hop is full (counted as {@code drop.queue_full.<class>}).
     *
     * @return false when there is no route or the class's queue is full (both counted)
     */
    public boolean send(Sid destination, long dstPort, long srcPort, Security sec, Qos qos, byte[] data, int off,
                        int len, long now) {
        Qos before = sendQos;
        sendQos = qos;
        try {
            return send(destination, dstPort, srcPort, sec, data, off, len, now);
        } finally {
            sendQos = before;
        }
    }

    /** {@link #broadcast(long, long, Security, byte[], int, int, int, long)} in transmit class {@code qos}. */
    public void broadcast(long dstPort, long srcPort, Security sec, Qos qos, byte[] data, int off, int len, int ttl,
                          long now) {
        Qos before = sendQos;
        sendQos = qos;
        try {
            broadcast(dstPort, srcPort, sec, data, off, len, ttl, now);
        } finally {
            sendQos = before;
        }
    }

    /**
     * Paces interface {@code iface} to at most {@code packetsPerSecond} packets (broadcast and unicast together), in
     * bursts of at most {@code burst}: when the link is saturated frames wait in their {@link Qos} queues and each
     * packet is filled highest class first. 0 (the default) sends everything queued at every {@link #poll}.
     */
    public void pace(int iface, int packetsPerSecond, int burst) {
        if (iface < 0 || iface >= pacing.size()) {
            throw new org.clatter.mdp.MdpException("pace: no interface " + iface + "; add it with addInterface first");
        }
        if (packetsPerSecond < 0 || burst < 1) {
            throw new org.clatter.mdp.MdpException("pace(iface, packetsPerSecond, burst) needs packetsPerSecond >= 0 (0"
                    + " = unpaced) and burst >= 1; got " + packetsPerSecond + " and " + burst);
        }
        long[] p = pacing.get(iface);
        p[0] = packetsPerSecond;
        p[1] = burst;
        p[2] = burst;
        p[3] = Long.MIN_VALUE;
    }

    /**
     * Declares that unicast datagrams sent from local port {@code port} are retransmitted end to end by the
     * application (MSP is: its own acks and resends). Such frames go without {@code ACK_SOON}: the next hop sends no
     * hop ack for them and this engine keeps no copy for per-hop retransmission. Under an end-to-end protocol the
     * per-hop resend only duplicates packets on a lossy link, and costs an ack datagram per 16 packets and a queue
     * entry per packet. servald asks for hop acks on every unicast frame and acks ours only when asked, so both
     * settings interoperate. Off for every port by default.
     */
    public void endToEnd(long port, boolean on) {
        int i = java.util.Arrays.binarySearch(endToEndPorts, port);
        if (on && i < 0) {
            int at = -i - 1;
            long[] a = new long[endToEndPorts.length + 1];
            System.arraycopy(endToEndPorts, 0, a, 0, at);
            a[at] = port;
            System.arraycopy(endToEndPorts, at, a, at + 1, endToEndPorts.length - at);
            endToEndPorts = a;
        } else if (!on && i >= 0) {
            long[] a = new long[endToEndPorts.length - 1];
            System.arraycopy(endToEndPorts, 0, a, 0, i);
            System.arraycopy(endToEndPorts, i + 1, a, i, a.length - i);
            endToEndPorts = a;
        }
    }

    /** Whether {@code port} was declared {@link #endToEnd}. */
    public boolean isEndToEnd(long port) {
        return endToEndPorts.length != 0 && java.util.Arrays.binarySearch(endToEndPorts, port) >= 0;
    }

    /** Local ports whose datagrams need no hop ack ({@link #endToEnd}), sorted. */
    private long[] endToEndPorts = new long[0];

    private boolean enqueueUnicast(Sid neighbour, FrameHeader h, byte[] payload, int cls) {
        Neighbour n = neighbours.get(neighbour);
        if (n == null || n.address == null) {
            count("no_route");
            return false;
        }
        return n.queue.offer(new Queued(h, payload, cls, clock));
    }

    private void enqueueBroadcast(int iface, FrameHeader h, byte[] payload, boolean repeat, int cls) {
        Queued first = new Queued(h, payload, cls, clock);
        broadcastQueues.get(iface).offer(first);
        if (repeat) {
            for (int i = 1; i < BROADCAST_REPEATS; i++) {
                pendingRepeats.add(new Repeat(iface, first, Long.MIN_VALUE)); // sent again later, same seq
            }
        }
    }

    private final List<Repeat> pendingRepeats = new ArrayList<>();
    private final List<Repeat> repeats = new ArrayList<>();

    // ------------------------------------------------------------------------------------------------------- poll

    /**
     * Does the work due at {@code now}: ticks, expiry, route recomputation and sending.
     *
     * @return when to call again at the latest
     */
    public long poll(long now, Output output) {
        clock = Math.max(clock, now);
        if (nextTick == Long.MIN_VALUE) {
            nextTick = now + random.nextLong(TICK_NANOS / 10);
            nextAdvert = now;
        }
        for (Repeat rp : pendingRepeats) {
            repeats.add(new Repeat(rp.iface, rp.item, now + REPEAT_DELAY_NANOS));
        }
        pendingRepeats.clear();
        for (var it = repeats.iterator(); it.hasNext(); ) {
            Repeat rp = it.next();
            if (rp.due <= now) {
                broadcastQueues.get(rp.iface).offer(rp.item);
                it.remove();
            }
        }
        if (now >= nextTick) {
            tick(now);
            nextTick = now + TICK_NANOS;
        }
        long wake = nextTick;
        for (Neighbour n : neighbours.values()) {
            if (n.ackDue <= now) {
                n.ackDue = Long.MAX_VALUE;
                n.unackedPackets = 0;
                queueUnicastAck(n);
            }
            // O(due work): the queue is in resendAt order, acked entries are dropped as they reach the head.
            for (InFlight f = n.inFlight.peekFirst(); f != null && (f.acked || f.resendAt <= now);
                 f = n.inFlight.peekFirst()) {
                n.inFlight.pollFirst();
                if (!f.acked) {
                    n.awaitingAck--;
                    if (n.inFlightBySeq[f.seq] == f) {
                        n.inFlightBySeq[f.seq] = null;
                    }
                    for (Queued q : f.frames) {
                        if (framesNumbered - q.firstNumbered >= MAX_RESEND_SPAN) {
                            // Too late to be useful, and dangerous: whatever rides on this frame has moved on by
                            // thousands of packets, and a late copy can look new to it (MSP's 16-bit seqs wrap).
                            count("gave_up_stale");
                        } else if (q.attempts + 1 < MAX_ATTEMPTS) {
                            if (framesNumbered - f.numberedAtSend >= SEQ_WINDOW / 2) {
                                // The 8-bit seq may have moved on a window (or wrapped) since: the receiver would
                                // take the old value as new, or as "ahead" and then drop the genuine frame that later
                                // gets it. A fresh seq keeps its window sound (a late ack may cost a duplicate).
                                q.seq = (short) (nextSeq() & 0xff);
                                count("resequenced");
                            }
                            q.attempts++;
                            n.queue.offer(q); // the same frame object: a retransmission allocates nothing
                            count("retransmitted");
                        } else {
                            count("gave_up");
                        }
                    }
                }
            }
        }
        for (var e : explainPending.entrySet()) {
            FrameHeader h = new FrameHeader().clear();
            h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_TO_BROADCAST | FrameFlyweight.F_ONE_HOP);
            h.type(FrameFlyweight.TYPE_PLEASE_EXPLAIN);
            h.ttlQos(1, 0);
            enqueueBroadcast(e.getKey(), h, e.getValue().toByteArray(), false, Qos.MESH_MANAGEMENT.ordinal());
        }
        explainPending.clear();
        long paced = flush(output, now);
        for (Neighbour n : neighbours.values()) {
            wake = Math.min(wake, n.ackDue);
            InFlight first = n.inFlight.peekFirst(); // the earliest resend (acked ones leave when they are first)
            if (first != null) {
                wake = Math.min(wake, first.resendAt);
            }
        }
        wake = Math.min(wake, paced);
        for (Repeat rp : repeats) {
            wake = Math.min(wake, rp.due);
        }
        return wake;
    }

    private void tick(long now) {
        for (var it = neighbours.values().iterator(); it.hasNext(); ) {
            Neighbour n = it.next();
            if (now - n.lastHeard > NEIGHBOUR_TIMEOUT_NANOS) {
                router.neighbourLost(n.sid.toNodeId(), n.iface, now);
                count("neighbour_lost");
                it.remove();
                continue;
            }
            if (n.hearsUs && now - n.hearsUsAt > NEIGHBOUR_TIMEOUT_NANOS) {
                n.hearsUs = false;
                count("neighbour_deaf");
            }
            double received = 1 - n.broadcastIn.missedOf32() / 32.0;
            router.linkObserved(new LinkObservation(n.sid.toNodeId(), n.iface, String.valueOf(n.address), n.hearsUs,
                    received, n.hearsUs ? 1 - n.theirDropOfUs : 0, now));
        }
        routesChanged |= router.recompute(now);
        boolean advert = routesChanged || now >= nextAdvert;
        if (advert) {
            routesChanged = false;
            nextAdvert = now + ADVERT_INTERVAL_NANOS;
        }
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i) || !staticPeers.get(i).isEmpty()) {
                queueLinkState(i, advert);
            }
        }
    }

    private void queueLinkState(int iface, boolean advert) {
        byte[] buf = new byte[RECORDS_BYTES + 100];
        int p = PortHeader.write(PORT_LINKSTATE, PORT_LINKSTATE, buf, 0);
        int start = p;
        for (Neighbour n : neighbours.values()) {
            if (n.iface != iface) {
                continue;
            }
            int flags = LinkStateRecordFlyweight.HAS_INTERFACE | LinkStateRecordFlyweight.BROADCAST
                    | LinkStateRecordFlyweight.HAS_DROP_RATE
                    | (n.broadcastIn.highest() >= 0 ? LinkStateRecordFlyweight.HAS_ACK : 0);
            p += LinkStateRecordWriter.write(buf, p, flags, AddressCodes.SELF, selfSidBytes, 1, AddressCodes.FULL,
                    n.sid.toBytes(), n.theirInterface, Math.max(0, n.broadcastIn.highest()), n.broadcastIn.ackMask(),
                    n.broadcastIn.missedOf32());
            if (n.heardUnicast) {
                // servald opens a unicast path to a neighbour (REACHABLE_UNICAST) only once the neighbour says it hears
                // its unicast packets: a UNICAST record, with the ack of their packet seqs once they number them.
                p += LinkStateRecordWriter.write(buf, p, LinkStateRecordFlyweight.HAS_INTERFACE
                                | LinkStateRecordFlyweight.UNICAST
                                | (n.unicastIn.highest() >= 0 ? LinkStateRecordFlyweight.HAS_ACK : 0),
                        AddressCodes.SELF, selfSidBytes, 1, AddressCodes.FULL, n.sid.toBytes(), n.theirInterface,
                        Math.max(0, n.unicastIn.highest()), n.unicastIn.ackMask(), 0);
            }
            if (p > RECORDS_BYTES) {
                p = flushRecords(iface, buf, p, start);
            }
        }
        if (advert) {
            TreeSet<Sid> now = new TreeSet<>();
            for (Router.RouteEntry e : router.table()) {
                if (!e.reachability().reachable() || e.reachability() == Reachability.SELF
                        || e.reachability() == Reachability.BROADCAST) {
                    continue;
                }
                Optional<NodeId> last = router.lastHop(e.node());
                if (last.isEmpty()) {
                    continue;
                }
                Sid dest = Sid.of(e.node());
                now.add(dest);
                double lastCost = last.get().equals(selfId) ? 0
                        : router.nextHop(last.get()).map(NextHop::cost).orElse(0.0);
                double edge = e.nextHop().map(NextHop::cost).orElse(1.0) - lastCost;
                int drop = (int) Math.max(0, Math.min(32, Math.round(32 * (edge - 1) / 3)));
                boolean viaSelf = last.get().equals(selfId);
                count("route_record_sent");
                p += LinkStateRecordWriter.write(buf, p, LinkStateRecordFlyweight.HAS_DROP_RATE, AddressCodes.FULL,
                        dest.toBytes(), 1, viaSelf ? AddressCodes.SELF : AddressCodes.FULL,
                        viaSelf ? selfSidBytes : last.get().toBytes(), 0, 0, 0, drop);
                if (p > RECORDS_BYTES) {
                    p = flushRecords(iface, buf, p, start);
                }
            }
            for (Sid local : secondaries.keySet()) {
                count("route_record_sent");
                p += LinkStateRecordWriter.write(buf, p, LinkStateRecordFlyweight.HAS_DROP_RATE, AddressCodes.FULL,
                        local.toBytes(), 1, AddressCodes.SELF, selfSidBytes, 0, 0, 0, 0);
                if (p > RECORDS_BYTES) {
                    p = flushRecords(iface, buf, p, start);
                }
            }
            for (Sid gone : advertised) {
                if (!now.contains(gone)) {
                    count("no_path_sent");
                    p += LinkStateRecordWriter.write(buf, p, LinkStateRecordFlyweight.NO_PATH
                                    | LinkStateRecordFlyweight.HAS_DROP_RATE, AddressCodes.FULL, gone.toBytes(), 255,
                            0, selfSidBytes, 0, 0, 0, 32);
                    if (p > RECORDS_BYTES) {
                        p = flushRecords(iface, buf, p, start);
                    }
                }
            }
            advertised.clear();
            advertised.addAll(now);
        }
        if (p > start || neighbours.isEmpty()) {
            flushRecords(iface, buf, p, start);
        }
    }

    private int flushRecords(int iface, byte[] buf, int p, int start) {
        FrameHeader h = new FrameHeader().clear();
        h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_TO_BROADCAST | FrameFlyweight.F_ONE_HOP);
        h.ttlQos(1, 1);
        enqueueBroadcast(iface, h, java.util.Arrays.copyOf(buf, p), false, Qos.MESH_MANAGEMENT.ordinal());
        return start;
    }

    /** Acknowledges the unicast packets heard from a neighbour (spec §6 neighbour ack, UNICAST with HAS_ACK). */
    private void queueUnicastAck(Neighbour n) {
        byte[] buf = new byte[80];
        int p = PortHeader.write(PORT_LINKSTATE, PORT_LINKSTATE, buf, 0);
        p += LinkStateRecordWriter.write(buf, p, LinkStateRecordFlyweight.HAS_INTERFACE
                        | LinkStateRecordFlyweight.UNICAST | LinkStateRecordFlyweight.HAS_ACK, AddressCodes.SELF,
                selfSidBytes, 1, AddressCodes.FULL, n.sid.toBytes(), n.theirInterface, n.unicastIn.highest(),
                n.unicastIn.ackMask(), 0);
        FrameHeader h = new FrameHeader().clear();
        h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_ONE_HOP);
        h.destination(clock >= n.fullUntil ? ABBREVIATION_BYTES : AddressCodes.FULL, n.sid.toBytes(), 0);
        h.ttlQos(1, 1);
        n.queue.offer(new Queued(h, java.util.Arrays.copyOf(buf, p), Qos.MESH_MANAGEMENT.ordinal(), clock));
    }

    /**
     * Marks the packets an ack names (its seq and the 32 before it, by mask) as delivered: at most 33 look-ups in the
     * neighbour's by-seq index, whatever the number of packets in flight. Marked entries leave the queue when they
     * reach its head ({@link #poll}).
     */
    private void acknowledged(Neighbour n, int ackSeq, long mask) {
        for (int back = 0; back <= 32; back++) {
            if (back > 0 && (mask & (1L << (back - 1))) == 0) {
                continue;
            }
            int seq = (ackSeq - back) & 0xff;
            InFlight f = n.inFlightBySeq[seq];
            if (f != null) {
                n.inFlightBySeq[seq] = null;
                f.acked = true;
                n.awaitingAck--;
                counter("acked").add(f.frames.size());
            }
        }
    }

    /**
     * Sends what the queues hold: on each interface the destination (its broadcasts, or one neighbour) whose waiting
     * frames are of the highest {@link Qos} class gets the next packet, filled highest class first up to the MTU, as
     * far as the interface's pacing allows.
     *
     * @return when a paced interface may send again with frames still waiting, else {@link Long#MAX_VALUE}
     */
    private long flush(Output output, long now) {
        long wake = Long.MAX_VALUE;
        int listed = 0;
        for (Neighbour n : neighbours.values()) { // one iterator per flush, as before; the loops below index
            if (listed == flushList.length) {
                flushList = java.util.Arrays.copyOf(flushList, 2 * listed);
            }
            flushList[listed++] = n;
        }
        for (int i = 0; i < interfaces.size(); i++) {
            long[] pace = pacing.get(i);
            if (pace[0] > 0) {
                refill(pace, now);
            }
            OverlayQueues<Queued> bq = broadcastQueues.get(i);
            while (true) {
                // Highest class first; between destinations with the same class, the one served longest ago.
                int best = bq.headClass();
                long bestServed = broadcastServed[i];
                Neighbour bestN = null;
                for (int k = 0; k < listed; k++) {
                    Neighbour n = flushList[k];
                    if (n.iface == i) {
                        int c = n.queue.headClass();
                        if (c < best || (c == best && c != Integer.MAX_VALUE && n.served < bestServed)) {
                            best = c;
                            bestServed = n.served;
                            bestN = n;
                        }
                    }
                }
                if (best == Integer.MAX_VALUE) {
                    break;
                }
                if (pace[0] > 0 && pace[2] <= 0) {
                    wake = Math.min(wake, pace[3] + 1_000_000_000L / pace[0]);
                    break;
                }
                OverlayQueues<Queued> q = bestN == null ? bq : bestN.queue;
                if (q.peek(now) == null) {
                    continue; // only stale frames were waiting there, now dropped
                }
                if (pace[0] > 0) {
                    pace[2]--;
                }
                served++;
                if (bestN == null) {
                    broadcastServed[i] = served;
                    int seq = broadcastSeq.get(i);
                    broadcastSeq.set(i, (seq + 1) & 0xff);
                    writer.wrap(outSeg, 0, out.length);
                    writer.begin(1, OverlayPacketFlyweight.ENCAP_OVERLAY, AddressCodes.FULL, selfSidBytes, 0, false, 0,
                            seq);
                    fill(bq, now);
                    if (interfaces.get(i)) {
                        output.broadcast(i, outSeg, 0, writer.length());
                    }
                    for (LinkAddress peer : staticPeers.get(i)) {
                        output.unicast(i, peer, outSeg, 0, writer.length());
                    }
                } else {
                    Neighbour n = bestN;
                    n.served = served;
                    writer.wrap(outSeg, 0, out.length);
                    int seq = n.unicastSeqOut;
                    // Our SID in full until the neighbour showed it resolved it, then abbreviated (spec §3).
                    writer.begin(1, OverlayPacketFlyweight.ENCAP_OVERLAY,
                            n.knowsUs && now >= n.fullUntil ? ABBREVIATION_BYTES : AddressCodes.FULL, selfSidBytes, 0,
                            true, 0, seq);
                    n.unicastSeqOut = (seq + 1) & 0xff;
                    boolean track = n.awaitingAck < MAX_AWAITING_ACK;
                    List<Queued> sent = fill(n.queue, now, track);
                    if (!sent.isEmpty() && track) {
                        InFlight f = new InFlight(seq, sent, now + RESEND_NANOS, framesNumbered);
                        n.inFlight.addLast(f);
                        n.inFlightBySeq[seq] = f; // an older packet with this seq is past its ack window anyway
                        n.awaitingAck++;
                    } else if (!track) {
                        count("hop_ack_untracked");
                    }
                    output.unicast(n.iface, n.address, outSeg, 0, writer.length());
                }
            }
        }
        java.util.Arrays.fill(flushList, 0, listed, null);
        return wake;
    }

    private Neighbour[] flushList = new Neighbour[16];

    /** Token bucket: {@code p = {packets per second, burst, tokens, time of the last token}}. */
    private static void refill(long[] p, long now) {
        if (p[3] == Long.MIN_VALUE) {
            p[3] = now;
            p[2] = p[1];
            return;
        }
        long interval = 1_000_000_000L / p[0];
        long add = (now - p[3]) / interval;
        if (add > 0) {
            p[2] = Math.min(p[1], p[2] + add);
            p[3] = p[2] == p[1] ? now : p[3] + add * interval;
        }
    }

    /**
     * Aggregates queued frames into the packet, highest class first; returns the ones that want acknowledgement
     * (ACK_SOON).
     */
    private List<Queued> fill(OverlayQueues<Queued> q, long now) {
        return fill(q, now, true);
    }

    /** @param track false: the packet will not be tracked for a hop ack, so its frames do not ask for one */
    private List<Queued> fill(OverlayQueues<Queued> q, long now, boolean track) {
        List<Queued> wantAck = List.of();
        for (Queued item = q.peek(now); item != null; item = q.peek(now)) {
            if (item.seq < 0) {
                item.seq = (short) (nextSeq() & 0xff);
                item.firstNumbered = framesNumbered;
            }
            item.header.mdpSeq(item.seq);
            if (!track && (item.header.flags() & FrameFlyweight.F_ACK_SOON) != 0) {
                item.header.flags(item.header.flags() & ~FrameFlyweight.F_ACK_SOON);
            }
            if (!writer.appendFrame(item.header, item.payload, 0, item.payload.length)) {
                if (writer.frameCount() == 0) {
                    q.remove(item);
                    count("frame_too_large");
                    continue;
                }
                return wantAck;
            }
            q.remove(item);
            if ((item.header.flags() & FrameFlyweight.F_ACK_SOON) != 0) {
                if (wantAck.isEmpty()) {
                    wantAck = new ArrayList<>();
                }
                wantAck.add(item);
            }
        }
        return wantAck;
    }

    private static final class Neighbour {
        final Sid sid;
        int iface;
        LinkAddress address;
        long lastHeard;
        int theirInterface;
        boolean hearsUs;
        /** It named us in its link state, so it resolves an abbreviation of our SID; cleared when it asks. */
        boolean knowsUs;
        /** Until then every address to it is written in full (it asked for an explanation). */
        long fullUntil = Long.MIN_VALUE;
        double theirDropOfUs;
        long hearsUsAt;
        int unicastSeqOut;
        final org.clatter.mdp.codec.SequenceWindow broadcastIn = new org.clatter.mdp.codec.SequenceWindow();
        final org.clatter.mdp.codec.SequenceWindow unicastIn = new org.clatter.mdp.codec.SequenceWindow();
        final org.clatter.mdp.codec.SequenceWindow framesIn = new org.clatter.mdp.codec.SequenceWindow();
        final OverlayQueues<Queued> queue;
        /** Packets in {@link #inFlight} not yet acked (at most {@link #MAX_AWAITING_ACK}). */
        int awaitingAck;
        /** Unicast packets awaiting a hop ack, in send order (so in {@code resendAt} order). */
        final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
        /** The latest in-flight packet per 8-bit packet seq, for O(1) acks. */
        final InFlight[] inFlightBySeq = new InFlight[256];
        long ackDue = Long.MAX_VALUE;
        int unackedPackets;
        boolean heardUnicast;
        /** When this neighbour last got a packet (round robin among neighbours whose best class is the same). */
        long served;

        Neighbour(Sid sid, OverlayQueues<Queued> queue) {
            this.sid = sid;
            this.queue = queue;
        }
    }

    /**
     * A frame waiting to be sent. {@code seq} holds its MDP frame seq, -1 until the frame first goes into a packet:
     * numbering at send time keeps the seqs a receiver sees close together even when the queues reorder frames by
     * class or drop them (a frame numbered at queueing could reach the receiver outside its 64-seq window and be
     * taken for a duplicate). Broadcast repeats and retransmissions re-queue the same object, so they keep its seq.
     */
    private static final class Queued implements OverlayQueues.Item {
        final FrameHeader header;
        final byte[] payload;
        final long queuedAt;
        /** The MDP frame seq (0..255), -1 until the frame first goes into a packet. */
        short seq = -1;
        /** Sends so far beyond the first (a retransmission re-queues the same object). */
        byte attempts;
        /** {@link #framesNumbered} when the frame was first numbered: its age in frames, for {@link #MAX_RESEND_SPAN}. */
        long firstNumbered;
        final byte queueClass;

        Queued(FrameHeader header, byte[] payload, int queueClass, long queuedAt) {
            this.header = header;
            this.payload = payload;
            this.queueClass = (byte) queueClass;
            this.queuedAt = queuedAt;
        }

        @Override
        public int queueClass() {
            return queueClass;
        }

        @Override
        public long queuedAt() {
            return queuedAt;
        }
    }

    /** Frames sent in unicast packet {@code seq}, kept until a link-state ack names the seq. */
    private static final class InFlight {
        final int seq;
        final List<Queued> frames;
        final long resendAt;
        final long numberedAtSend;
        boolean acked;

        InFlight(int seq, List<Queued> frames, long resendAt, long numberedAtSend) {
            this.seq = seq;
            this.frames = frames;
            this.resendAt = resendAt;
            this.numberedAtSend = numberedAtSend;
        }
    }

    /** A broadcast frame to queue again at {@code due} (the same object, so the same seq). */
    private record Repeat(int iface, Queued item, long due) {
    }
}
