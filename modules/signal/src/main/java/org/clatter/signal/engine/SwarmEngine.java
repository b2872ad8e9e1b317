package org.clatter.signal.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.clatter.core.time.Clock;
import org.clatter.signal.codec.ProtoException;
import org.clatter.signal.codec.SignalProto.AnnounceBack;
import org.clatter.signal.codec.SignalProto.Message;
import org.clatter.signal.codec.SignalProto.PeerAvailable;
import org.clatter.signal.codec.SignalProto.PeerLeft;
import org.clatter.signal.codec.SignalProto.SwarmEvent;
import org.clatter.signal.codec.SignalProto.Timestamp;
import org.clatter.signal.codec.SignalProto;

/**
 * Swarm membership and message routing of one signaling host (spec §4), sans I/O.
 *
 * <pre>
 *  client conn ──join/leave/receive/send/drop──▶ ┌─────────────┐ ──streamReady/streamEvent/deliver──▶ client conns
 *                                                 │ SwarmEngine │
 *  bus (NATS) ─────────────busMessage──────────▶ └─────────────┘ ──publish/subscribe/unsubscribe───▶ bus
 *                                      clock ──tick at nextDeadline()──┘
 * </pre>
 *
 * <p>Bus subjects: {@code sig.swarm.<swarm>.<host>} carries SwarmEvent (the publishing host is the last token, so
 * membership is tracked per (swarm, peer, host)); {@code sig.host.<to>.<from>} carries HostEvent announce-backs;
 * {@code sig.peer.<peer>} carries PeerEvent. Swarm and peer tokens are hashed when {@link EngineConfig#hashKeys()}.
 *
 * <p>A peer is present in a swarm while it has a local membership (live, or dropped and inside the grace period)
 * or an unexpired announcement from another host. Watchers (live local Join streams of the swarm, the joiner
 * included) get PeerAvailable when a peer becomes present or is re-announced, and PeerLeft when it stops being
 * present: on leave, after the grace period, on expiry, on another host's PeerLeft or shutdown.
 */
public final class SwarmEngine {

    /** What the engine asks its driver to do. Called on the engine's thread. */
    public interface Output {
        void streamReady(long conn, int requestId);

        void streamEvent(long conn, int requestId, SwarmEvent event);

        /** A stream superseded by a newer request for the same key: answer {@code close}. */
        void streamClose(long conn, int requestId);

        void deliver(long conn, int requestId, Message message);

        void publish(String subject, byte[] payload);

        void subscribe(String subject);

        void unsubscribe(String subject);
    }

    private static final HexFormat HEX = HexFormat.of();

    private final EngineConfig config;
    private final Clock clock;
    private final Output out;
    private final boolean clustered;
    private final String hostHex;
    private final byte[] hostId;
    private final Map<String, Swarm> swarms = new HashMap<>();
    private final Map<String, Swarm> swarmsByBusId = new HashMap<>();
    private final Map<Long, Map<Integer, StreamRef>> conns = new HashMap<>();
    private final Map<String, Inbox> inboxes = new HashMap<>();
    private long nextDeadline = Long.MAX_VALUE;

    private long relayed;
    private long undeliverable;
    private long busRejected;
    private long peerLeftSent;

    public SwarmEngine(EngineConfig config, Clock clock, byte[] hostId, boolean clustered, Output out) {
        this.config = config;
        this.clock = clock;
        this.hostId = hostId.clone();
        this.hostHex = HEX.formatHex(hostId);
        this.clustered = clustered;
        this.out = out;
        if (clustered) {
            out.subscribe("sig.host." + hostHex + ".*");
        }
    }

    // ---------------------------------------------------------------- client side

    /** {@code Join(swarm, peer)} on stream {@code requestId} of {@code conn}; a repeated Join replaces the old. */
    public void join(long conn, int requestId, byte[] swarmKey, byte[] peer) {
        long now = clock.nanos();
        Map<Integer, StreamRef> streams = conns.computeIfAbsent(conn, c -> new HashMap<>());
        StreamRef previous = streams.get(requestId);
        if (previous != null) {
            closeStreamRef(conn, requestId, previous, now);
        }
        String swarmHex = HEX.formatHex(swarmKey);
        Swarm swarm = swarms.get(swarmHex);
        if (swarm == null) {
            swarm = new Swarm(swarmKey, swarmHex, busId("swarm", swarmKey));
            swarms.put(swarmHex, swarm);
            swarmsByBusId.put(swarm.busId, swarm);
            if (clustered) {
                out.subscribe("sig.swarm." + swarm.busId + ".*");
            }
        }
        String peerHex = HEX.formatHex(peer);
        Member m = swarm.members.get(peerHex);
        boolean announce = false;
        if (m == null) {
            m = new Member(peer, Timestamp.ofEpochMillis(clock.epochMillis()));
            swarm.members.put(peerHex, m);
            announce = true;
        } else if (m.local == null) {
            announce = true;
        } else if (m.local.live()) {
            // Superseded: the client gave up waiting or joined again from another connection.
            Map<Integer, StreamRef> old = conns.get(m.local.conn);
            if (old != null) {
                old.remove(m.local.requestId);
            }
            out.streamClose(m.local.conn, m.local.requestId);
        }
        boolean wasPresent = m.present(now);
        if (m.local == null) {
            m.local = new Local(conn, requestId, now + config.reannounceNanos());
        } else {
            m.local.conn = conn;
            m.local.requestId = requestId;
            m.local.graceDeadline = Long.MAX_VALUE;
        }
        streams.put(requestId, new StreamRef(swarm, peerHex, null));
        out.streamReady(conn, requestId);
        if (!wasPresent) {
            PeerAvailable pa = available(m, now, Optional.empty());
            for (Member w : swarm.members.values()) {
                if (w != m && w.local != null && w.local.live()) {
                    out.streamEvent(w.local.conn, w.local.requestId, pa);
                }
            }
        }
        for (Member other : swarm.members.values()) {
            if (other.present(now)) {
                out.streamEvent(conn, requestId, available(other, now, Optional.empty()));
            }
        }
        if (announce && clustered) {
            out.publish(swarmSubject(swarm), available(m, now, Optional.of(hostId)).encode());
        }
        schedule(m.local.nextAnnounce);
    }

    /** {@code ReceiveMessages(peer)} on stream {@code requestId} of {@code conn}. */
    public void receive(long conn, int requestId, byte[] peer) {
        long now = clock.nanos();
        Map<Integer, StreamRef> streams = conns.computeIfAbsent(conn, c -> new HashMap<>());
        StreamRef previous = streams.get(requestId);
        if (previous != null) {
            closeStreamRef(conn, requestId, previous, now);
        }
        String peerHex = HEX.formatHex(peer);
        Inbox inbox = inboxes.get(peerHex);
        if (inbox == null) {
            inbox = new Inbox(peer);
            inboxes.put(peerHex, inbox);
            if (clustered) {
                out.subscribe(peerSubject(peer));
            }
        } else if (inbox.live()) {
            Map<Integer, StreamRef> old = conns.get(inbox.conn);
            if (old != null) {
                old.remove(inbox.requestId);
            }
            out.streamClose(inbox.conn, inbox.requestId);
        }
        inbox.conn = conn;
        inbox.requestId = requestId;
        inbox.graceDeadline = Long.MAX_VALUE;
        streams.put(requestId, new StreamRef(null, peerHex, inbox));
        out.streamReady(conn, requestId);
    }

    /** {@code stream_close} from the client: closing a Join stream is leaving the swarm. */
    public void closeStream(long conn, int requestId) {
        Map<Integer, StreamRef> streams = conns.get(conn);
        if (streams == null) {
            return;
        }
        StreamRef ref = streams.remove(requestId);
        if (ref != null) {
            closeStreamRef(conn, requestId, ref, clock.nanos());
        }
    }

    /**
     * {@code SendMessage}: delivered on the recipient's local inbox, else published on its peer subject.
     *
     * @return true if it was delivered locally or handed to the bus
     */
    public boolean send(Message message) {
        String recipientHex = HEX.formatHex(message.recipient());
        Inbox inbox = inboxes.get(recipientHex);
        if (inbox != null && inbox.live()) {
            out.deliver(inbox.conn, inbox.requestId, message);
            relayed++;
            return true;
        }
        if (clustered) {
            out.publish(peerSubject(message.recipient()), SignalProto.encodePeerEvent(message));
            relayed++;
            return true;
        }
        undeliverable++;
        return false;
    }

    /** The connection dropped without leaving: its memberships and inboxes wait for it for the grace period. */
    public void disconnected(long conn) {
        Map<Integer, StreamRef> streams = conns.remove(conn);
        if (streams == null) {
            return;
        }
        long deadline = clock.nanos() + config.graceNanos();
        for (StreamRef ref : streams.values()) {
            if (ref.inbox != null) {
                if (ref.inbox.conn == conn) {
                    ref.inbox.graceDeadline = deadline;
                }
            } else {
                Member m = ref.swarm.members.get(ref.peerHex);
                if (m != null && m.local != null && m.local.conn == conn) {
                    m.local.graceDeadline = deadline;
                }
            }
        }
        schedule(deadline);
    }

    // ---------------------------------------------------------------- bus side

    /** A message from the shared bus on one of the subjects the engine subscribed to. Bad input is counted. */
    public void busMessage(String subject, byte[] payload) {
        try {
            String[] t = subject.split("\\.");
            if (t.length == 4 && t[0].equals("sig") && t[1].equals("swarm")) {
                if (!t[3].equals(hostHex)) {
                    onSwarmEvent(swarmsByBusId.get(t[2]), t[3], SwarmEvent.decode(payload));
                }
            } else if (t.length == 4 && t[0].equals("sig") && t[1].equals("host") && t[2].equals(hostHex)) {
                AnnounceBack ab = AnnounceBack.decode(payload);
                onSwarmEvent(swarmsByBusId.get(HEX.formatHex(ab.swarm())), t[3], ab.peerAvailable());
            } else if (t.length == 3 && t[0].equals("sig") && t[1].equals("peer")) {
                Message m = SignalProto.decodePeerEvent(payload);
                Inbox inbox = inboxes.get(HEX.formatHex(m.recipient()));
                if (inbox != null && inbox.live()) {
                    out.deliver(inbox.conn, inbox.requestId, m);
                } else {
                    undeliverable++;
                }
            } else {
                busRejected++;
            }
        } catch (ProtoException | IllegalArgumentException e) {
            busRejected++;
        }
    }

    private void onSwarmEvent(Swarm swarm, String fromHost, SwarmEvent event) {
        if (swarm == null) {
            return;
        }
        long now = clock.nanos();
        String peerHex = HEX.formatHex(event.peer());
        Member m = swarm.members.get(peerHex);
        switch (event) {
            case PeerAvailable pa -> {
                long expires = pa.until()
                        .map(u -> now + Math.max(0, u.toEpochMillis() - clock.epochMillis()) * 1_000_000L)
                        .orElse(Long.MAX_VALUE);
                boolean wasPresent = m != null && m.present(now);
                if (m == null) {
                    m = new Member(pa.peer(), pa.since());
                    swarm.members.put(peerHex, m);
                }
                m.remote.put(fromHost, expires);
                schedule(expires);
                if (!wasPresent) {
                    broadcast(swarm, m, available(m, now, Optional.empty()));
                }
                if (pa.announceBackToHost().isPresent()) {
                    String to = HEX.formatHex(pa.announceBackToHost().get());
                    for (Member local : swarm.members.values()) {
                        if (local.local != null) {
                            out.publish("sig.host." + to + "." + hostHex, new AnnounceBack(
                                    HEX.parseHex(swarm.busId), available(local, now, Optional.empty())).encode());
                        }
                    }
                }
            }
            case PeerLeft pl -> {
                if (m != null && m.remote.remove(fromHost) != null) {
                    dropIfAbsent(swarm, m, now);
                }
            }
        }
    }

    // ---------------------------------------------------------------- time

    /** When {@link #tick()} must run next ({@link Clock#nanos()} time), or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return nextDeadline;
    }

    /** Runs what is due: grace periods, expiries, re-announcements. */
    public void tick() {
        long now = clock.nanos();
        long next = Long.MAX_VALUE;
        for (Iterator<Swarm> si = swarms.values().iterator(); si.hasNext(); ) {
            Swarm swarm = si.next();
            List<Member> members = new ArrayList<>(swarm.members.values());
            for (Member m : members) {
                if (m.local != null && m.local.graceDeadline <= now) {
                    m.local = null;
                    if (clustered) {
                        out.publish(swarmSubject(swarm), new PeerLeft(m.peer).encode());
                    }
                }
                m.remote.values().removeIf(exp -> exp <= now);
                if (!dropIfAbsent(swarm, m, now)) {
                    if (m.local != null && m.local.nextAnnounce <= now) {
                        m.local.nextAnnounce = now + config.reannounceNanos();
                        PeerAvailable pa = available(m, now, Optional.empty());
                        if (clustered) {
                            out.publish(swarmSubject(swarm), pa.encode());
                        }
                        broadcast(swarm, m, pa);
                    }
                    if (m.local != null) {
                        next = Math.min(next, Math.min(m.local.nextAnnounce, m.local.graceDeadline));
                    }
                    for (long exp : m.remote.values()) {
                        next = Math.min(next, exp);
                    }
                }
            }
            if (!swarm.hasLocal()) {
                si.remove();
                swarmsByBusId.remove(swarm.busId);
                if (clustered) {
                    out.unsubscribe("sig.swarm." + swarm.busId + ".*");
                }
            }
        }
        for (Iterator<Inbox> ii = inboxes.values().iterator(); ii.hasNext(); ) {
            Inbox inbox = ii.next();
            if (inbox.graceDeadline <= now) {
                ii.remove();
                if (clustered) {
                    out.unsubscribe(peerSubject(inbox.peer));
                }
            } else if (inbox.graceDeadline != Long.MAX_VALUE) {
                next = Math.min(next, inbox.graceDeadline);
            }
        }
        nextDeadline = next;
    }

    /** Host shutdown: every local member leaves (PeerLeft on the bus), every stream is closed. */
    public void shutdown() {
        for (Swarm swarm : swarms.values()) {
            for (Member m : swarm.members.values()) {
                if (m.local != null) {
                    if (clustered) {
                        out.publish(swarmSubject(swarm), new PeerLeft(m.peer).encode());
                    }
                    if (m.local.live()) {
                        out.streamClose(m.local.conn, m.local.requestId);
                    }
                }
            }
            if (clustered) {
                out.unsubscribe("sig.swarm." + swarm.busId + ".*");
            }
        }
        for (Inbox inbox : inboxes.values()) {
            if (inbox.live()) {
                out.streamClose(inbox.conn, inbox.requestId);
            }
            if (clustered) {
                out.unsubscribe(peerSubject(inbox.peer));
            }
        }
        if (clustered) {
            out.unsubscribe("sig.host." + hostHex + ".*");
        }
        swarms.clear();
        swarmsByBusId.clear();
        inboxes.clear();
        conns.clear();
    }

    // ---------------------------------------------------------------- metrics

    public int swarmCount() {
        return swarms.size();
    }

    public long relayed() {
        return relayed;
    }

    public long undeliverable() {
        return undeliverable;
    }

    public long busRejected() {
        return busRejected;
    }

    public long peerLeftSent() {
        return peerLeftSent;
    }

    /** The subject token for a key on the bus: the raw key in hex, or a per-network hash of it. */
    public String busId(String domain, byte[] key) {
        if (!config.hashKeys()) {
            return HEX.formatHex(key);
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(("clatter.signal/" + config.network() + "/" + domain + "/").getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(d.digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    // ---------------------------------------------------------------- internals

    private void closeStreamRef(long conn, int requestId, StreamRef ref, long now) {
        if (ref.inbox != null) {
            if (ref.inbox.conn == conn && ref.inbox.requestId == requestId) {
                inboxes.remove(ref.peerHex);
                if (clustered) {
                    out.unsubscribe(peerSubject(ref.inbox.peer));
                }
            }
            return;
        }
        Swarm swarm = ref.swarm;
        Member m = swarm.members.get(ref.peerHex);
        if (m == null || m.local == null || m.local.conn != conn || m.local.requestId != requestId) {
            return;
        }
        m.local = null;
        if (clustered) {
            out.publish(swarmSubject(swarm), new PeerLeft(m.peer).encode());
        }
        dropIfAbsent(swarm, m, now);
        if (!swarm.hasLocal()) {
            swarms.remove(swarm.hex);
            swarmsByBusId.remove(swarm.busId);
            if (clustered) {
                out.unsubscribe("sig.swarm." + swarm.busId + ".*");
            }
        }
    }

    private boolean dropIfAbsent(Swarm swarm, Member m, long now) {
        if (m.present(now)) {
            return false;
        }
        swarm.members.remove(HEX.formatHex(m.peer));
        broadcast(swarm, m, new PeerLeft(m.peer));
        return true;
    }

    private void broadcast(Swarm swarm, Member about, SwarmEvent event) {
        for (Member w : swarm.members.values()) {
            if (w.local != null && w.local.live()) {
                out.streamEvent(w.local.conn, w.local.requestId, event);
                if (event instanceof PeerLeft) {
                    peerLeftSent++;
                }
            }
        }
    }

    private PeerAvailable available(Member m, long now, Optional<byte[]> announceBack) {
        long untilMillis;
        if (m.local != null) {
            untilMillis = clock.epochMillis() + config.announceTtlNanos() / 1_000_000L;
        } else {
            long latest = 0;
            for (long exp : m.remote.values()) {
                latest = Math.max(latest, exp);
            }
            if (latest == Long.MAX_VALUE) {
                return new PeerAvailable(m.peer, m.since, Optional.empty(), announceBack);
            }
            untilMillis = clock.epochMillis() + Math.max(0, latest - now) / 1_000_000L;
        }
        return new PeerAvailable(m.peer, m.since, Optional.of(Timestamp.ofEpochMillis(untilMillis)), announceBack);
    }

    private String swarmSubject(Swarm swarm) {
        return "sig.swarm." + swarm.busId + "." + hostHex;
    }

    private String peerSubject(byte[] peer) {
        return "sig.peer." + busId("peer", peer);
    }

    private void schedule(long at) {
        if (at < nextDeadline) {
            nextDeadline = at;
        }
    }

    private static final class Swarm {
        final byte[] key;
        final String hex;
        final String busId;
        final Map<String, Member> members = new LinkedHashMap<>();

        Swarm(byte[] key, String hex, String busId) {
            this.key = key;
            this.hex = hex;
            this.busId = busId;
        }

        boolean hasLocal() {
            for (Member m : members.values()) {
                if (m.local != null) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Member {
        final byte[] peer;
        final Timestamp since;
        Local local;
        final Map<String, Long> remote = new HashMap<>(4);

        Member(byte[] peer, Timestamp since) {
            this.peer = peer;
            this.since = since;
        }

        boolean present(long now) {
            if (local != null) {
                return true;
            }
            for (long exp : remote.values()) {
                if (exp > now) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Local {
        long conn;
        int requestId;
        long graceDeadline = Long.MAX_VALUE;
        long nextAnnounce;

        Local(long conn, int requestId, long nextAnnounce) {
            this.conn = conn;
            this.requestId = requestId;
            this.nextAnnounce = nextAnnounce;
        }

        boolean live() {
            return graceDeadline == Long.MAX_VALUE;
        }
    }

    private static final class Inbox {
        final byte[] peer;
        long conn;
        int requestId;
        long graceDeadline = Long.MAX_VALUE;

        Inbox(byte[] peer) {
            this.peer = peer;
        }

        boolean live() {
            return graceDeadline == Long.MAX_VALUE;
        }
    }

    private record StreamRef(Swarm swarm, String peerHex, Inbox inbox) {
    }
}
