package org.clatter.clacks.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.clatter.clacks.ClacksListener;
import org.clatter.clacks.ClacksOptions;
import org.clatter.clacks.ClacksPayload;
import org.clatter.clacks.ClacksPlugin;
import org.clatter.clacks.ClacksTransport;
import org.clatter.clacks.EnqueueResult;
import org.clatter.clacks.Envelope;
import org.clatter.clacks.Peer;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.PeerStatus;
import org.clatter.clacks.json.JsonLimits;
import org.clatter.clacks.json.JsonReader;
import org.clatter.clacks.json.JsonResult;
import org.clatter.clacks.json.JsonValue;
import org.clatter.clacks.json.JsonWriter;

/**
 * The Clacks gossip engine, sans I/O: request bodies and the current time go in; status codes, bodies to send
 * ({@link Outgoing}) and events come out. Not thread-safe: one thread (or one lock holder) drives it, so the same
 * engine runs on real sockets and, with a seeded generator and virtual time, deterministically.
 *
 * <pre>
 *   receive(body) --parse/validate--> ignore? --> plugins --> dedupe/ttl/signature --> listeners --> queue
 *                                                                                                      |
 *   poll(now) at each send tick: select peer (new probes, then alive 95 / lost 4.9 / dead 0.1 %) <-----+
 *        --> Outgoing(token, peer, body) --transport--> onSendResult(token, status): 200 alive, else re-queue
 * </pre>
 *
 * Spec: {@code shared/specs/clacks.md} sections 3 (receiving), 4 (sending and selection), 6 (peer table).
 */
public final class ClacksEngine {
    private static final HexFormat HEX = HexFormat.of();

    /** One request to hand to a transport; report its outcome with {@link #onSendResult}. */
    public record Outgoing(long token, PeerAddress peer, byte[] body) {
    }

    private static final class InFlight {
        final PeerTable.Entry peer;
        final QueuedMessage message; // null for an announce
        final PeerAddress target;
        final long deadline;

        InFlight(PeerTable.Entry peer, QueuedMessage message, PeerAddress target, long deadline) {
            this.peer = peer;
            this.message = message;
            this.target = target;
            this.deadline = deadline;
        }
    }

    private final ClacksOptions options;
    private PeerAddress self;
    private final String nodeId;
    private final RandomGenerator rng;
    private final Optional<MessageSigner> signer;
    private final JsonLimits limits;
    private final long killTimeoutNanos;
    private final long requestTimeoutNanos;
    private final long deadRetryNanos;

    private final PeerTable peers;
    private final java.util.Set<PeerAddress> selfAliases = new java.util.HashSet<>();
    private final Map<String, PeerAddress> advertised = new LinkedHashMap<>();
    private final ArrayDeque<QueuedMessage> queue = new ArrayDeque<>();
    private final LinkedHashMap<Long, InFlight> inFlight = new LinkedHashMap<>();
    /** Ids delivered to this node's listeners (each message is delivered once per node). */
    private final SeenIds delivered;
    /** (id, ttl) pairs received: the same pair again is a re-sent duplicate, a lower ttl a walk revisiting. */
    private final SeenIds hops;
    private long nextToken = 1;
    private long queuedBytes;

    private final List<ClacksPlugin> plugins = new ArrayList<>();
    private final List<ClacksListener.MessageReceived> receivedListeners = new ArrayList<>();
    private final List<ClacksListener.MessageQueued> queuedListeners = new ArrayList<>();
    private final List<ClacksListener.PeerChanged> discoveredListeners = new ArrayList<>();
    private final List<ClacksListener.PeerChanged> updatedListeners = new ArrayList<>();
    private final Map<String, long[]> counters = new TreeMap<>();

    public ClacksEngine(ClacksOptions options, PeerAddress self, RandomGenerator rng, Optional<MessageSigner> signer) {
        this.options = options;
        this.self = self;
        this.rng = rng;
        this.signer = signer;
        byte[] id = new byte[16];
        rng.nextBytes(id);
        this.nodeId = HEX.formatHex(id);
        this.limits = new JsonLimits(options.maxBodyBytes(), options.maxDepth(), options.maxBodyBytes(), 4096, 64);
        this.killTimeoutNanos = options.killTimeout().toNanos();
        this.requestTimeoutNanos = options.requestTimeout().toNanos();
        this.deadRetryNanos = options.deadRetry().toNanos();
        this.peers = new PeerTable(options.maxPeers());
        this.delivered = new SeenIds(options.seenIds());
        this.hops = new SeenIds(options.seenIds());
    }

    public String nodeId() {
        return nodeId;
    }

    public PeerAddress self() {
        return self;
    }

    /**
     * Advertises {@code address} instead of {@link #self()} to peers whose hostname starts with {@code prefix} (a
     * bridging node is {@code sid-...} on the mesh and an IP name on HTTPS).
     */
    public void advertise(String prefix, PeerAddress address) {
        advertised.put(prefix, address);
        selfAliases.add(address);
    }

    private PeerAddress selfFor(PeerAddress peer) {
        for (Map.Entry<String, PeerAddress> e : advertised.entrySet()) {
            if (peer.hostname().startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return self;
    }

    /** Changes the advertised address (once the real port is known). */
    public void setSelf(PeerAddress self) {
        this.self = self;
    }

    // ---------------------------------------------------------------- API

    public EnqueueResult enqueue(JsonValue message, long now) {
        if (!message.truthy()) {
            count("enqueue.falsy");
            return EnqueueResult.FALSY;
        }
        if (deeperThan(message, options.maxDepth() - 1)) {
            count("enqueue.too_deep");
            return EnqueueResult.TOO_DEEP;
        }
        byte[] json = JsonWriter.toBytes(message);
        if (json.length > options.maxMessageBytes()) {
            count("enqueue.too_large");
            return EnqueueResult.TOO_LARGE;
        }
        if (full()) {
            count("enqueue.queue_full");
            return EnqueueResult.QUEUE_FULL;
        }
        QueuedMessage m = QueuedMessage.plain(json);
        if (options.hopLimit() > 0) {
            long hi = rng.nextLong();
            long lo = rng.nextLong();
            delivered.add(hi, lo);
            String signerKey = "";
            String sig = "";
            if (options.sign() && signer.isPresent()) {
                signerKey = signer.get().publicKeyHex();
                sig = signer.get().sign(MessageSigner.signedBytes(new QueuedMessage(json, hi, lo, 1, "", "").id(), json));
            }
            m = new QueuedMessage(json, hi, lo, options.hopLimit(), signerKey, sig);
        }
        append(m);
        count("enqueue.ok");
        return EnqueueResult.QUEUED;
    }

    public Optional<JsonValue> peek() {
        QueuedMessage m = queue.peekFirst();
        return m == null ? Optional.empty() : Optional.of(m.message());
    }

    public int queueSize() {
        return queue.size();
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public long queuedBytes() {
        return queuedBytes;
    }

    public List<Peer> peers() {
        return peers.snapshot();
    }

    public Optional<Peer> peer(PeerAddress a) {
        return peers.get(a).map(PeerTable.Entry::snapshot);
    }

    /** Adds a peer as new; false if known, this node itself, or the table is full of live peers. */
    public boolean addPeer(PeerAddress a, long now) {
        return addPeer(a, PeerStatus.NEW, now).isPresent();
    }

    private Optional<PeerTable.Entry> addPeer(PeerAddress a, PeerStatus status, long now) {
        if (a.equals(self) || selfAliases.contains(a) || peers.get(a).isPresent()) {
            return Optional.empty();
        }
        List<PeerTable.Entry> evicted = new ArrayList<>(1);
        Optional<PeerTable.Entry> e = peers.add(a, status, now, evicted);
        if (e.isEmpty()) {
            count("peers.table_full");
            return e;
        }
        if (!evicted.isEmpty()) {
            count("peers.evicted");
        }
        fire(discoveredListeners, e.get().snapshot());
        return e;
    }

    /** Ignores a peer: never sent to, its requests get 403. Adds it if unknown. */
    public void ignore(PeerAddress a, long now) {
        Optional<PeerTable.Entry> e = peers.get(a);
        if (e.isEmpty()) {
            addPeer(a, PeerStatus.IGNORED, now);
        } else {
            setStatus(e.get(), PeerStatus.IGNORED, now);
        }
    }

    /** Takes a peer off the ignore list (as new); clacks-p2p cannot. */
    public boolean unignore(PeerAddress a, long now) {
        Optional<PeerTable.Entry> e = peers.get(a).filter(p -> p.status == PeerStatus.IGNORED);
        e.ifPresent(p -> setStatus(p, PeerStatus.NEW, now));
        return e.isPresent();
    }

    /** An announce to {@code target}, sent at once, outside the queue and the send rate (spec section 5). */
    public Optional<Outgoing> announce(PeerAddress target, long now) {
        if (inFlight.size() >= options.maxInFlight()) {
            count("announce.throttled");
            return Optional.empty();
        }
        long token = nextToken++;
        inFlight.put(token, new InFlight(null, null, target, now + requestTimeoutNanos));
        Envelope env = new Envelope("", 0, nodeId, Optional.empty(), Optional.empty());
        return Optional.of(new Outgoing(token, target, PayloadCodec.encode("null".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "announce", selfFor(target), friendFor(target), Optional.of(env))));
    }

    public void extend(ClacksPlugin p) {
        plugins.add(p);
    }

    public void onMessageReceived(ClacksListener.MessageReceived l) {
        receivedListeners.add(l);
    }

    public void onMessageQueued(ClacksListener.MessageQueued l) {
        queuedListeners.add(l);
    }

    public void onPeerDiscovered(ClacksListener.PeerChanged l) {
        discoveredListeners.add(l);
    }

    public void onPeerUpdated(ClacksListener.PeerChanged l) {
        updatedListeners.add(l);
    }

    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    // ---------------------------------------------------------------- receiving (spec section 3)

    /** Handles one request body and returns the HTTP status to answer. Never throws. */
    public int receive(byte[] body, int off, int len, long now) {
        count("requests");
        JsonResult parsed = JsonReader.parse(body, off, len, limits);
        if (parsed instanceof JsonResult.Error err) {
            count("requests.bad_json." + err.code().name().toLowerCase(java.util.Locale.ROOT));
            return err.code() == JsonResult.Code.TOO_LARGE ? 413 : 400;
        }
        PayloadCodec.Result r = PayloadCodec.decode(((JsonResult.Ok) parsed).value());
        if (r.refusal().isPresent()) {
            count("requests.refused." + r.refusal().get().name().toLowerCase(java.util.Locale.ROOT));
            return 400;
        }
        PayloadCodec.Decoded d = r.decoded().orElseThrow();
        if (d.badFriend()) {
            count("requests.bad_friend");
        }
        if (d.badEnvelope()) {
            count("requests.bad_envelope");
        }
        ClacksPayload payload = d.payload();
        if (payload.envelope().isPresent() && payload.envelope().get().node().equals(nodeId)) {
            count("requests.from_self");
            return 508;
        }
        PeerAddress senderAddr = payload.sender();
        Optional<PeerTable.Entry> sender = peers.get(senderAddr);
        if (sender.isPresent() && sender.get().status == PeerStatus.IGNORED) {
            count("requests.ignored");
            return 403;
        }
        if (sender.isEmpty()) {
            sender = addPeer(senderAddr, PeerStatus.NEW, now);
        } else {
            setStatus(sender.get(), PeerStatus.ALIVE, now);
        }
        Peer from = sender.map(PeerTable.Entry::snapshot).orElse(new Peer(senderAddr, PeerStatus.NEW, now, 0));

        for (ClacksPlugin p : plugins) {
            ClacksPlugin.Result res;
            try {
                res = p.onIncoming(from, payload);
            } catch (RuntimeException e) {
                count("plugin.errors");
                continue;
            }
            if (res instanceof ClacksPlugin.Result.Stop stop) {
                count("requests.stopped_by_plugin");
                return stop.status();
            }
            payload = ((ClacksPlugin.Result.Proceed) res).payload();
        }

        int status = 200;
        if (payload.isMessage()) {
            status = receiveMessage(from, payload, now);
        } else {
            count("requests.announce");
        }
        if (status == 200) {
            payload.friend().ifPresent(f -> {
                if (peers.get(f).isEmpty()) {
                    addPeer(f, PeerStatus.NEW, now);
                }
            });
        }
        return status;
    }

    private int receiveMessage(Peer from, ClacksPayload payload, long now) {
        Optional<Envelope> env = payload.envelope().filter(e -> !e.id().isEmpty());
        byte[] json = JsonWriter.toBytes(payload.message());
        if (env.isPresent() && env.get().signature().isPresent()) {
            if (signer.isEmpty()) {
                count("messages.signature_unchecked");
            } else if (!signer.get().verify(env.get().signer().get(), MessageSigner.signedBytes(env.get().id(), json),
                    env.get().signature().get())) {
                count("messages.bad_signature");
                return 400;
            }
        } else if (options.requireSignatures()) {
            count("messages.unsigned_refused");
            return 400;
        }
        long hi = env.map(e -> QueuedMessage.hi(e.id())).orElse(0L);
        long lo = env.map(e -> QueuedMessage.lo(e.id())).orElse(0L);
        long hopKey = lo ^ (0x9E3779B97F4A7C15L * (env.map(Envelope::ttl).orElse(0) + 1));
        if (env.isPresent() && hops.contains(hi, hopKey)) {
            count("messages.duplicate");
            return 200;
        }
        boolean forward = payload.message().truthy() && (env.isEmpty() || env.get().ttl() > 1);
        if (forward && json.length > options.maxMessageBytes()) {
            count("messages.too_large");
            return 413;
        }
        if (forward && full()) {
            count("messages.queue_full");
            return 503;
        }
        if (env.isPresent()) {
            hops.add(hi, hopKey);
        }
        JsonValue message = payload.message();
        if (env.isPresent() && delivered.contains(hi, lo)) {
            // the walk came back: pass it on (hop limit permitting), but do not deliver it here twice
            count("messages.revisit");
        } else {
            count("messages.received");
            for (ClacksListener.MessageReceived l : receivedListeners) {
                Optional<JsonValue> out;
                try {
                    out = l.onMessageReceived(from, payload.withMessage(message));
                } catch (RuntimeException e) {
                    count("listener.errors");
                    continue;
                }
                if (out.isEmpty()) {
                    count("messages.vetoed");
                    return 200;
                }
                message = out.get();
            }
            if (env.isPresent()) {
                delivered.add(hi, lo);
            }
        }
        if (!message.truthy()) {
            return 200;
        }
        if (env.isPresent() && env.get().ttl() <= 1) {
            count("messages.hop_limit");
            return 200;
        }
        if (message != payload.message()) {
            json = JsonWriter.toBytes(message);
            if (json.length > options.maxMessageBytes()) {
                count("messages.too_large");
                return 200;
            }
        }
        QueuedMessage q;
        if (env.isPresent()) {
            // A transformed message can no longer carry the originator's signature.
            boolean same = message == payload.message();
            q = new QueuedMessage(json, hi, lo, env.get().ttl() - 1,
                    same ? env.get().signer().orElse("") : "", same ? env.get().signature().orElse("") : "");
        } else {
            q = QueuedMessage.plain(json);
        }
        append(q);
        return 200;
    }

    // ---------------------------------------------------------------- sending (spec section 4)

    /** At a send tick: the next request to send, if a message is queued and a peer can take it. */
    public Optional<Outgoing> poll(long now) {
        expire(now);
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        if (inFlight.size() >= options.maxInFlight()) {
            count("send.throttled");
            return Optional.empty();
        }
        Optional<PeerTable.Entry> pick = select(now);
        if (pick.isEmpty()) {
            count("send.no_peer");
            return Optional.empty();
        }
        PeerTable.Entry p = pick.get();
        QueuedMessage m = queue.pollFirst();
        queuedBytes -= m.json().length;
        long token = nextToken++;
        p.inFlight++;
        p.lastAttemptNanos = now;
        inFlight.put(token, new InFlight(p, m, p.address, now + requestTimeoutNanos));
        Optional<Envelope> env = Optional.empty();
        if (m.hasId() || options.hopLimit() > 0) {
            env = Optional.of(new Envelope(m.hasId() ? m.id() : "", m.ttl(), nodeId,
                    m.signer().isEmpty() ? Optional.empty() : Optional.of(m.signer()),
                    m.signature().isEmpty() ? Optional.empty() : Optional.of(m.signature())));
        }
        count("send.attempts");
        return Optional.of(new Outgoing(token, p.address, PayloadCodec.encode(m.json(), "message", selfFor(p.address),
                friendFor(p.address), env)));
    }

    /** The outcome of an {@link Outgoing}: the HTTP status, or a {@link ClacksTransport} failure code. */
    public void onSendResult(long token, int status, long now) {
        InFlight f = inFlight.remove(token);
        if (f == null) {
            count("send.late_result");
            return;
        }
        complete(f, status, now);
    }

    private void complete(InFlight f, int status, long now) {
        if (f.peer != null) {
            f.peer.inFlight--;
        }
        Optional<PeerTable.Entry> p = f.peer != null ? peers.get(f.peer.address).filter(e -> e == f.peer)
                : peers.get(f.target);
        if (status == 200) {
            if (f.message == null) {
                count("announce.ok");
                if (p.isEmpty()) {
                    addPeer(f.target, PeerStatus.NEW, now);
                }
                return;
            }
            count("send.ok");
            p.ifPresent(e -> setStatus(e, PeerStatus.ALIVE, now));
            return;
        }
        if (status == ClacksTransport.TOO_LARGE) {
            count("send.too_large"); // the carrier's limit, not the peer's fault: the peer keeps its status
        } else if (status == 508) {
            count("send.self_detected");
            selfAliases.add(f.target);
            p.ifPresent(e -> peers.remove(e));
        } else {
            count(status == ClacksTransport.TIMEOUT ? "send.timeout"
                    : status < 0 ? "send.network_error" : "send.rejected." + status);
            p.ifPresent(e -> fail(e, now));
        }
        if (f.message != null) {
            queue.addLast(f.message);
            queuedBytes += f.message.json().length;
            fireQueued(f.message);
        } else {
            count("announce.failed");
        }
    }

    private void fail(PeerTable.Entry e, long now) {
        switch (e.status) {
            case NEW, ALIVE -> setStatus(e, PeerStatus.LOST, now);
            case LOST -> {
                if (now - e.sinceNanos > killTimeoutNanos) {
                    setStatus(e, PeerStatus.DEAD, now);
                }
            }
            default -> {
            }
        }
    }

    /** Requests past their deadline fail as timeouts; their messages go back to the queue. */
    public void expire(long now) {
        Iterator<InFlight> it = inFlight.values().iterator();
        List<InFlight> expired = null;
        while (it.hasNext()) {
            InFlight f = it.next();
            if (f.deadline - now > 0) {
                break; // insertion order is deadline order (one timeout for all)
            }
            it.remove();
            if (expired == null) {
                expired = new ArrayList<>();
            }
            expired.add(f);
        }
        if (expired != null) {
            for (InFlight f : expired) {
                complete(f, ClacksTransport.TIMEOUT, now);
            }
        }
    }

    /** The earliest in-flight deadline, if any (for "wake me at"). */
    public Optional<Long> nextDeadline() {
        return inFlight.isEmpty() ? Optional.empty() : Optional.of(inFlight.values().iterator().next().deadline);
    }

    /**
     * Peer selection (spec section 4.1), with two fixes that keep its proportions among alive/lost/dead: a new
     * peer is probed only when it has no request in flight, and only on a {@code newPeerShare} fraction of ticks
     * while alive peers exist, so injected or silent new peers cannot absorb all traffic; a dead peer is tried
     * at most once per {@code deadRetry}. Returns empty when the chosen peer cannot take a request now.
     */
    Optional<PeerTable.Entry> select(long now) {
        List<PeerTable.Entry> fresh = peers.list(PeerStatus.NEW);
        List<PeerTable.Entry> alive = peers.list(PeerStatus.ALIVE);
        List<PeerTable.Entry> lost = peers.list(PeerStatus.LOST);
        List<PeerTable.Entry> dead = peers.list(PeerStatus.DEAD);
        if (!fresh.isEmpty() && (alive.isEmpty() || rng.nextDouble() < options.newPeerShare())) {
            int n = fresh.size();
            int start = rng.nextInt(n);
            for (int i = 0; i < n; i++) {
                PeerTable.Entry e = fresh.get((start + i) % n);
                if (e.inFlight == 0) {
                    return Optional.of(e);
                }
            }
        }
        PeerStatus which = chooseList(rng.nextDouble(), alive.size(), lost.size(), dead.size());
        if (which == null) {
            return Optional.empty();
        }
        List<PeerTable.Entry> l = peers.list(which);
        PeerTable.Entry e = l.get(rng.nextInt(l.size()));
        int cap = which == PeerStatus.ALIVE ? options.maxInFlightPerPeer() : 1;
        if (e.inFlight >= cap) {
            return Optional.empty();
        }
        if (which == PeerStatus.DEAD && e.lastAttemptNanos != Long.MIN_VALUE && now - e.lastAttemptNanos < deadRetryNanos) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /** clacks-p2p's draw: alive by default, lost if f > 0.95 or no alive, dead if f > 0.999 or none so far. */
    static PeerStatus chooseList(double f, int alive, int lost, int dead) {
        PeerStatus which = alive > 0 ? PeerStatus.ALIVE : null;
        if ((f > 0.95 || which == null) && lost > 0) {
            which = PeerStatus.LOST;
        }
        if ((f > 0.999 || which == null) && dead > 0) {
            which = PeerStatus.DEAD;
        }
        return which;
    }

    /** A random alive peer other than the recipient, reachable the same way (mesh peers get mesh friends). */
    private Optional<PeerAddress> friendFor(PeerAddress recipient) {
        List<PeerTable.Entry> alive = peers.list(PeerStatus.ALIVE);
        int n = alive.size();
        if (n == 0) {
            return Optional.empty();
        }
        String family = family(recipient);
        for (int attempt = 0; attempt < 4; attempt++) {
            PeerTable.Entry e = alive.get(rng.nextInt(n));
            if (!e.address.equals(recipient) && family(e.address).equals(family)) {
                return Optional.of(e.address);
            }
        }
        return Optional.empty();
    }

    private String family(PeerAddress a) {
        for (String prefix : advertised.keySet()) {
            if (a.hostname().startsWith(prefix)) {
                return prefix;
            }
        }
        return "";
    }

    // ---------------------------------------------------------------- internals

    /** True if {@code v} nests deeper than {@code limit} levels (recurses at most {@code limit} deep). */
    private static boolean deeperThan(JsonValue v, int limit) {
        if (v instanceof org.clatter.clacks.json.JsonArray a) {
            if (limit == 0) {
                return true;
            }
            for (JsonValue e : a.elements()) {
                if (deeperThan(e, limit - 1)) {
                    return true;
                }
            }
        } else if (v instanceof org.clatter.clacks.json.JsonObject o) {
            if (limit == 0) {
                return true;
            }
            for (JsonValue e : o.members().values()) {
                if (deeperThan(e, limit - 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean full() {
        return queue.size() + inFlight.size() >= options.maxQueue();
    }

    private void append(QueuedMessage m) {
        queue.addLast(m);
        queuedBytes += m.json().length;
        fireQueued(m);
    }

    private void fireQueued(QueuedMessage m) {
        if (queuedListeners.isEmpty()) {
            return;
        }
        JsonValue v = m.message();
        for (ClacksListener.MessageQueued l : queuedListeners) {
            try {
                l.onMessageQueued(v);
            } catch (RuntimeException e) {
                count("listener.errors");
            }
        }
    }

    private void setStatus(PeerTable.Entry e, PeerStatus s, long now) {
        if (e.status == s || e.status == PeerStatus.IGNORED && s != PeerStatus.NEW) {
            return;
        }
        peers.setStatus(e, s, now);
        fire(updatedListeners, e.snapshot());
    }

    private void fire(List<ClacksListener.PeerChanged> ls, Peer p) {
        for (ClacksListener.PeerChanged l : ls) {
            try {
                l.onPeer(p);
            } catch (RuntimeException e) {
                count("listener.errors");
            }
        }
    }

    /** Adds one to a named counter (transports count their own conditions here). */
    public void count(String name) {
        counters.computeIfAbsent(name, k -> new long[1])[0]++;
    }
}
