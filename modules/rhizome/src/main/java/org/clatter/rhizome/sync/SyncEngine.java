package org.clatter.rhizome.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.clatter.rhizome.Bar;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.ManifestException;
import org.clatter.rhizome.RhizomeException;

/**
 * The sync-keys engine of one node, sans I/O ({@code serval-rhizome-sync.md}): tree messages and transfer (MSP)
 * messages and the current time go in; tree messages to broadcast, transfer messages per neighbour and the next
 * wake-up time come out. The caller carries tree messages as port-18 broadcasts and transfer messages over one
 * MSP stream per neighbour (reliable, in order).
 *
 * <pre>
 *   onTreeMessage(P, bytes, now) ─► SyncTree (§8) ─► peer-lacks ─► queue(P): LOOKUP_BAR → SEND_BAR
 *                                               └─► peer-has  ─► (after {@link #DIRECT_REQUEST_MS}) REQ_MANIFEST
 *   onTransfer(P, msg, now) ─► SEND_BAR → REQ_MANIFEST → SEND_MANIFEST → REQ_PAYLOAD → SEND_PAYLOAD → store
 *   pollTreeMessage(now) / pollTransfers(P, now) / nextWakeup()
 *   progress()  ─► bundles pending/done, bytes received/expected, downloads in progress
 * </pre>
 *
 * Beyond servald: a key the neighbour is known to hold but never offered (§17 B1) is requested directly after
 * {@link #DIRECT_REQUEST_MS}; a download interrupted by a stream failure resumes from the bytes held
 * ({@link #resume}); manifests over 1015 bytes are never queued for sending (B2).
 */
public final class SyncEngine implements SyncListener {
    public static final long TREE_PERIOD_MS = 5000;
    /** Root period while some neighbour's last root differed from ours (a lost record stalls the descent until then). */
    public static final long TREE_CATCH_UP_MS = 1000;
    public static final long TREE_SOON_MS = 5;
    public static final long DIRECT_REQUEST_MS = 3000;
    public static final int REQUEST_BUDGET = 16 * 1024;
    public static final int MANIFEST_REQUEST_BUDGET = 256;

    private enum State { LOOKUP_BAR, SEND_BAR, REQ_MANIFEST, SEND_MANIFEST, REQ_PAYLOAD, RECV_PAYLOAD, SEND_PAYLOAD }

    private static final class Entry {
        final long key;
        State state;
        final int rank;
        long budget;
        byte[] bar;
        Manifest manifest;
        SyncStore.Download download;
        InputStream reader;
        long offset;

        Entry(long key, State state, int rank) {
            this.key = key;
            this.state = state;
            this.rank = rank;
        }
    }

    private final SyncStore store;
    private final java.util.Set<String> localSids;
    private final SyncTree tree;
    private final Map<String, List<Entry>> queues = new TreeMap<>();
    private final Map<String, Map<Long, Long>> heldByPeer = new HashMap<>();
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final Map<String, List<Manifest>> interrupted = new HashMap<>();
    private final Map<String, Integer> rootMismatches = new HashMap<>();
    private final java.util.Set<String> differingRoots = new java.util.HashSet<>();
    /** Manifests asked for per neighbour and not yet received (for {@link #progress()}). */
    private final Map<String, Map<Long, Long>> manifestsAwaited = new HashMap<>();
    /** A manifest asked for and not answered within this long no longer counts as pending. */
    public static final long MANIFEST_AWAIT_MS = 30_000;
    private long bundlesReceived;
    private long payloadBytesReceived;
    private long payloadBytesSent;
    /** Differing roots in a row, with nothing queued or in transfer, after which D(P) is rebuilt. */
    public static final int STALL_ROOTS = 3;
    private long treeDue;
    private long now;
    private int messageLimit = TransferCodec.MSP_MESSAGE;

    public SyncEngine(SyncStore store, long now) {
        this(store, now, java.util.Set.of());
    }

    /**
     * @param localSids this node's identities (upper-case hex): payload requests for bundles addressed to them
     *                  rank first, as servald's do (§12.2)
     */
    public SyncEngine(SyncStore store, long now, java.util.Set<String> localSids) {
        this.localSids = java.util.Set.copyOf(localSids);
        this.store = store;
        this.tree = new SyncTree(this);
        for (long k : store.keys()) {
            tree.addKey(k);
        }
        this.now = now;
        this.treeDue = now;
    }

    /**
     * Limits the MSP messages {@link #pollTransfers} builds to {@code bytes} (default and maximum
     * {@link TransferCodec#MSP_MESSAGE}, servald's 1024): for a stream whose messages are smaller, such as MSP over
     * Clatter's MDP layer, which writes full SIDs. Manifests that do not fit are not offered.
     */
    public SyncEngine maxMessageSize(int bytes) {
        if (bytes < 64 || bytes > TransferCodec.MSP_MESSAGE) {
            throw new RhizomeException("an MSP message limit must be 64.." + TransferCodec.MSP_MESSAGE + " bytes, got " + bytes);
        }
        this.messageLimit = bytes;
        return this;
    }

    // ---- inputs

    /** A bundle was stored locally (created or imported by another path). */
    public void bundleAdded(Manifest m, long now) {
        this.now = now;
        if (tree.addKey(key(m))) {
            treeDue = Math.min(treeDue, now + TREE_SOON_MS);
        }
    }

    /** A tree message (port-18 broadcast payload) from {@code peer}. */
    public void onTreeMessage(String peer, byte[] payload, long now) {
        this.now = now;
        count("tree.rx.messages");
        SyncTree.Received r = tree.receive(peer, payload, 0, payload.length);
        if (r != SyncTree.Received.OK) {
            count("tree.rx.dropped." + r.name().toLowerCase(java.util.Locale.ROOT));
        } else if (payload.length == TreeRecord.BYTES) {
            watchStall(peer, TreeRecord.decode(payload, 0));
        }
        if (tree.hasQueued()) {
            treeDue = Math.min(treeDue, now + TREE_SOON_MS);
        }
    }

    /** One MSP message of the transfer stream from {@code peer}. */
    public void onTransfer(String peer, byte[] msg, long now) {
        this.now = now;
        count("transfer.rx.bytes", msg.length);
        if (msg.length == 0) {
            count("transfer.rx.empty");
            return;
        }
        TransferCodec.Decoded d = TransferCodec.decode(msg, 0, msg.length);
        d.error().ifPresent(e -> count("transfer.rx.malformed"));
        for (TransferCodec.Message m : d.messages()) {
            switch (m.type()) {
                case TransferCodec.SEND_BAR -> onSendBar(peer, m);
                case TransferCodec.REQ_MANIFEST -> put(peer, m.key(), State.SEND_MANIFEST, m.rank());
                case TransferCodec.SEND_MANIFEST -> onSendManifest(peer, m);
                case TransferCodec.REQ_PAYLOAD -> onReqPayload(peer, m);
                case TransferCodec.SEND_PAYLOAD -> onSendPayload(peer, m);
                default -> count("transfer.rx.unknown");
            }
        }
    }

    /**
     * The transfer stream to {@code peer} failed or was stopped: drop its queue and D(P) (§15). Downloads in
     * progress keep their bytes and are resumed from there on the next stream ({@link #pollTransfers}).
     */
    public void streamFailed(String peer) {
        List<Entry> q = queues.remove(peer);
        if (q != null) {
            for (Entry e : q) {
                if (e.download != null && e.manifest != null) {
                    interrupted.computeIfAbsent(peer, p -> new ArrayList<>()).add(e.manifest);
                }
                close(e);
            }
        }
        heldByPeer.remove(peer);
        manifestsAwaited.remove(peer);
        tree.forgetPeer(peer);
        count("transfer.streams_failed");
    }

    // ---- outputs

    /**
     * Tree records carry no retransmission (servald's retry limit is 1), so a lost record can leave D(P) holding
     * keys the peer has since stored; those stale keys then "explain" real differences away and both sides go
     * quiet with different roots. A peer's bare root that keeps differing from ours while nothing is queued or
     * being transferred marks that state: rebuild D(P) from scratch, as servald does after a failed stream.
     */
    private void watchStall(String peer, TreeRecord r) {
        boolean root = r.have() && r.minPrefix() == 0;
        if (!root) {
            return;
        }
        if (r.equals(tree.root())) {
            rootMismatches.remove(peer);
            differingRoots.remove(peer);
            return;
        }
        differingRoots.add(peer);
        boolean busy = tree.hasQueued() || queues.getOrDefault(peer, List.of()).stream().anyMatch(e -> e.state != State.LOOKUP_BAR)
                || !heldByPeer.getOrDefault(peer, Map.of()).isEmpty();
        if (busy) {
            return;
        }
        if (rootMismatches.merge(peer, 1, Integer::sum) >= STALL_ROOTS) {
            rootMismatches.remove(peer);
            queues.remove(peer);
            tree.forgetPeer(peer);
            count("tree.stall_resets");
            tree.receive(peer, TreeRecord.encodeMessage(List.of(r)), 0, TreeRecord.BYTES);
            if (tree.hasQueued()) {
                treeDue = Math.min(treeDue, now + TREE_SOON_MS);
            }
        }
    }

    /** The next tree message to broadcast, if one is due. */
    public Optional<byte[]> pollTreeMessage(long now) {
        this.now = now;
        if (now < treeDue) {
            return Optional.empty();
        }
        List<TreeRecord> rs = tree.buildMessage(TreeRecord.MAX_PER_MESSAGE);
        treeDue = tree.hasQueued() ? now : now + (differingRoots.isEmpty() ? TREE_PERIOD_MS : TREE_CATCH_UP_MS);
        byte[] msg = TreeRecord.encodeMessage(rs);
        count("tree.tx.messages");
        count("tree.tx.records", rs.size());
        return Optional.of(msg);
    }

    /** When the engine next wants {@link #pollTreeMessage} or {@link #pollTransfers} called. */
    public long nextWakeup() {
        long t = treeDue;
        for (Map.Entry<String, Map<Long, Long>> e : heldByPeer.entrySet()) {
            for (long since : e.getValue().values()) {
                t = Math.min(t, since + DIRECT_REQUEST_MS);
            }
        }
        return t;
    }

    /** Neighbours with transfer work queued. */
    public List<String> peersWithWork() {
        List<String> out = new ArrayList<>();
        queues.forEach((p, q) -> {
            if (!q.isEmpty()) {
                out.add(p);
            }
        });
        heldByPeer.forEach((p, m) -> {
            if (!m.isEmpty() && !out.contains(p)) {
                out.add(p);
            }
        });
        return out;
    }

    /**
     * One sending pass for {@code peer} (§12.4): requests first (within the 16 KiB budget), then offers,
     * manifests and payload chunks, packed into MSP messages of at most 1024 bytes.
     *
     * @param maxMessages how many MSP messages the stream can take now (its free window)
     */
    public List<byte[]> pollTransfers(String peer, long now, int maxMessages) {
        this.now = now;
        List<Manifest> resumable = interrupted.remove(peer);
        if (resumable != null) {
            for (Manifest m : resumable) {
                if (!tree.hasKey(key(m))) {
                    resume(peer, m, now);
                    count("transfer.resumed");
                }
            }
        }
        directRequests(peer);
        List<Entry> q = queues.get(peer);
        List<byte[]> out = new ArrayList<>();
        if (q == null) {
            return out;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(messageLimit);
        long inFlight = 0;
        for (Entry e : new ArrayList<>(q)) {
            if (out.size() >= maxMessages || inFlight >= REQUEST_BUDGET) {
                break;
            }
            if (e.state == State.RECV_PAYLOAD) {
                inFlight += e.budget;
            } else if (e.state == State.REQ_MANIFEST || e.state == State.REQ_PAYLOAD) {
                byte[] m = e.state == State.REQ_MANIFEST
                        ? TransferCodec.encode(TransferCodec.Message.reqManifest(e.key, e.rank))
                        : TransferCodec.encode(TransferCodec.Message.reqPayload(e.key, e.rank, e.download.written(), e.budget));
                if (buf.size() + m.length > messageLimit) {
                    flush(buf, out);
                    break;
                }
                buf.writeBytes(m);
                inFlight += e.budget;
                if (e.state == State.REQ_MANIFEST) {
                    q.remove(e);
                    manifestsAwaited.computeIfAbsent(peer, p -> new HashMap<>()).put(e.key, now);
                    count("transfer.tx.req_manifest");
                } else {
                    e.state = State.RECV_PAYLOAD;
                    count("transfer.tx.req_payload");
                }
            }
        }
        Iterator<Entry> it = q.iterator();
        while (it.hasNext() && out.size() < maxMessages) {
            Entry e = it.next();
            if (e.state == State.LOOKUP_BAR) {
                resolve(e);
            }
            switch (e.state) {
                case SEND_BAR -> {
                    byte[] m = TransferCodec.encode(TransferCodec.Message.sendBar(e.key, e.bar));
                    if (buf.size() + m.length > messageLimit) {
                        flush(buf, out);
                    }
                    buf.writeBytes(m);
                    it.remove();
                    count("transfer.tx.send_bar");
                }
                case SEND_MANIFEST -> {
                    Optional<Manifest> m = store.bySyncKey(e.key);
                    it.remove();
                    if (m.isEmpty() || m.get().length() > Manifest.MAX_SYNC_BYTES
                            || m.get().length() + 9 > messageLimit) {
                        count("transfer.tx.manifest_unavailable");
                        continue;
                    }
                    byte[] enc = TransferCodec.encode(TransferCodec.Message.sendManifest(e.key, m.get().toBytes()));
                    if (buf.size() + enc.length > messageLimit) {
                        flush(buf, out);
                    }
                    buf.writeBytes(enc);
                    flush(buf, out);
                    count("transfer.tx.send_manifest");
                }
                case SEND_PAYLOAD -> {
                    while (out.size() < maxMessages) {
                        int room = messageLimit - buf.size() - 9;
                        if (room <= 0) {
                            flush(buf, out);
                            continue;
                        }
                        byte[] chunk = new byte[(int) Math.min(room, e.budget)];
                        int n = readFully(e.reader, chunk);
                        if (n > 0) {
                            buf.writeBytes(TransferCodec.encode(TransferCodec.Message.sendPayload(e.key, Arrays.copyOf(chunk, n))));
                            flush(buf, out);
                            e.budget -= n;
                            payloadBytesSent += n;
                            count("transfer.tx.payload_bytes", n);
                        }
                        if (n < chunk.length || e.budget == 0) {
                            close(e);
                            it.remove();
                            break;
                        }
                    }
                }
                default -> { }
            }
        }
        flush(buf, out);
        for (byte[] m : out) {
            count("transfer.tx.bytes", m.length);
            count("transfer.tx.messages");
        }
        return out;
    }

    /**
     * What is being fetched now: bundles pending and done, payload bytes received and expected, and each download
     * in progress. Call on the engine's thread (on a {@code RhizomeNode}: through {@code MdpNode.call}).
     */
    public SyncProgress progress() {
        List<SyncProgress.Transfer> transfers = new ArrayList<>();
        long remaining = 0;
        long pending = 0;
        for (Map.Entry<String, List<Entry>> q : queues.entrySet()) {
            for (Entry e : q.getValue()) {
                if (e.download != null && e.manifest != null) {
                    long held = e.download.written();
                    transfers.add(new SyncProgress.Transfer(q.getKey(), e.manifest, held, e.manifest.filesize()));
                    remaining += Math.max(0, e.manifest.filesize() - held);
                    pending++;
                } else if (e.state == State.REQ_MANIFEST) {
                    pending++;
                }
            }
        }
        for (Map<Long, Long> awaited : manifestsAwaited.values()) {
            awaited.entrySet().removeIf(a -> tree.hasKey(a.getKey()) || now - a.getValue() >= MANIFEST_AWAIT_MS);
            pending += awaited.size();
        }
        return new SyncProgress(bundlesReceived, pending, payloadBytesReceived, payloadBytesReceived + remaining,
                payloadBytesSent, transfers);
    }

    /** Counters: tree and transfer messages and bytes, drops by reason, bundles received. */
    public Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    /** Queue entries per neighbour as text, for diagnostics. */
    String describeQueues() {
        StringBuilder b = new StringBuilder();
        queues.forEach((p, q) -> {
            b.append(p).append(": ");
            q.forEach(e -> b.append(Long.toHexString(e.key)).append('/').append(e.state).append(' '));
        });
        return b.append(" held=").append(heldByPeer).toString();
    }

    public SyncTree tree() {
        return tree;
    }

    // ---- SyncListener (called by the tree during onTreeMessage)

    @Override
    public void peerLacks(String peer, long key) {
        count("tree.peer_lacks");
        Entry e = put(peer, key, State.LOOKUP_BAR, 0);
        resolve(e);
    }

    @Override
    public void peerHas(String peer, long key) {
        count("tree.peer_has");
        heldByPeer.computeIfAbsent(peer, p -> new HashMap<>()).putIfAbsent(key, now);
    }

    @Override
    public void peerNowHas(String peer, long key) {
        count("tree.peer_now_has");
    }

    // ---- transfer handling (§12, §13)

    private void resolve(Entry e) {
        if (e.state != State.LOOKUP_BAR) {
            return;
        }
        Optional<Manifest> m = store.bySyncKey(e.key);
        if (m.isPresent() && m.get().length() <= Manifest.MAX_SYNC_BYTES) {
            e.state = State.SEND_BAR;
            e.bar = m.get().bar().toBytes();
        }
    }

    private void directRequests(String peer) {
        Map<Long, Long> held = heldByPeer.get(peer);
        if (held == null) {
            return;
        }
        Iterator<Map.Entry<Long, Long>> it = held.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> h = it.next();
            if (tree.hasKey(h.getKey())) {
                it.remove();
            } else if (now - h.getValue() >= DIRECT_REQUEST_MS) {
                it.remove();
                if (find(peer, h.getKey()).isEmpty()) {
                    put(peer, h.getKey(), State.REQ_MANIFEST, 0).budget = MANIFEST_REQUEST_BUDGET;
                    count("transfer.direct_requests");
                }
            }
        }
    }

    private void onSendBar(String peer, TransferCodec.Message m) {
        count("transfer.rx.send_bar");
        Map<Long, Long> held = heldByPeer.get(peer);
        if (held != null) {
            held.remove(m.key());
        }
        if (tree.hasKey(m.key()) || find(peer, m.key()).map(e -> e.download != null).orElse(false)) {
            return;
        }
        Bar bar = Bar.wrap(m.data(), 0);
        Optional<Manifest> have = store.byBidPrefix(bar.bidPrefix());
        if (have.isPresent() && Long.compareUnsigned(have.get().version() & 0x00FFFFFFFFFFFFFFL, bar.version()) >= 0) {
            count("transfer.rx.not_interesting");
            return;
        }
        put(peer, m.key(), State.REQ_MANIFEST, bar.sizeByte()).budget = MANIFEST_REQUEST_BUDGET;
    }

    private void onSendManifest(String peer, TransferCodec.Message msg) {
        count("transfer.rx.send_manifest");
        Map<Long, Long> awaited = manifestsAwaited.get(peer);
        if (awaited != null) {
            awaited.remove(msg.key());
        }
        Manifest m;
        try {
            m = Manifest.parse(msg.data());
        } catch (ManifestException e) {
            count("transfer.rx.bad_manifest");
            return;
        }
        if (key(m) != msg.key()) {
            count("transfer.rx.manifest_key_mismatch");
            return;
        }
        Optional<Manifest> have = store.byBidPrefix(Arrays.copyOf(m.id(), 15));
        if (tree.hasKey(msg.key()) || (have.isPresent() && Long.compareUnsigned(have.get().version(), m.version()) >= 0)) {
            count("transfer.rx.not_interesting");
            return;
        }
        Optional<Entry> fetching = find(peer, msg.key());
        if (fetching.isPresent() && fetching.get().download != null) {
            count("transfer.rx.already_fetching");
            return;
        }
        SyncStore.Download d = store.begin(m);
        long need = m.filesize() - d.written();
        if (need <= 0) {
            complete(m, d);
            return;
        }
        find(peer, msg.key()).ifPresent(e -> queues.get(peer).remove(e));
        int rank = payloadRank(m, need);
        Entry e = put(peer, msg.key(), State.REQ_PAYLOAD, rank);
        e.budget = need;
        e.manifest = m;
        e.download = d;
    }

    private void onReqPayload(String peer, TransferCodec.Message m) {
        count("transfer.rx.req_payload");
        Optional<Manifest> man = store.bySyncKey(m.key());
        if (man.isEmpty() || m.length() <= 0 || m.offset() >= man.get().filesize()) {
            count("transfer.rx.req_payload_ignored");
            return;
        }
        Optional<InputStream> in = store.payload(man.get(), m.offset());
        if (in.isEmpty()) {
            count("transfer.rx.req_payload_missing");
            return;
        }
        Entry e = put(peer, m.key(), State.SEND_PAYLOAD, m.rank());
        close(e);
        e.reader = in.get();
        e.budget = Math.min(m.length(), man.get().filesize() - m.offset());
    }

    private void onSendPayload(String peer, TransferCodec.Message m) {
        count("transfer.rx.payload_bytes", m.data().length);
        Optional<Entry> found = find(peer, m.key());
        if (found.isEmpty() || found.get().download == null) {
            count("transfer.rx.payload_unexpected");
            return;
        }
        Entry e = found.get();
        e.state = State.RECV_PAYLOAD;
        byte[] data = m.data();
        if (e.download.written() + data.length > e.manifest.filesize()) {
            count("transfer.rx.payload_overrun");
            close(e);
            queues.get(peer).remove(e);
            return;
        }
        e.download.write(data, 0, data.length);
        e.budget -= data.length;
        payloadBytesReceived += data.length;
        if (e.download.written() == e.manifest.filesize()) {
            queues.get(peer).remove(e);
            SyncStore.Download d = e.download;
            e.download = null;
            complete(e.manifest, d);
        }
    }

    private void complete(Manifest m, SyncStore.Download d) {
        if (d.finish()) {
            bundlesReceived++;
            count("bundles.received");
            bundleAdded(m, now);
        } else {
            count("bundles.rejected");
        }
    }

    /** Resumes a download interrupted by a failed stream: queues a payload request from the bytes already held. */
    public void resume(String peer, Manifest m, long now) {
        this.now = now;
        SyncStore.Download d = store.begin(m);
        long need = m.filesize() - d.written();
        if (need <= 0) {
            complete(m, d);
            return;
        }
        Entry e = put(peer, key(m), State.REQ_PAYLOAD, payloadRank(m, need));
        e.budget = need;
        e.manifest = m;
        e.download = d;
    }

    /** §12.2: floor(log2(bytes still needed)) + 2, or + 0 when the bundle is addressed to this node. */
    private int payloadRank(Manifest m, long need) {
        boolean toMe = m.recipient().map(localSids::contains).orElse(false);
        return Bar.sizeLog2(need) + (toMe ? 0 : 2);
    }

    /** servald's Put (§12.1): same key met first → state updated in place; else insert before the first higher rank. */
    private Entry put(String peer, long key, State state, int rank) {
        List<Entry> q = queues.computeIfAbsent(peer, p -> new ArrayList<>());
        int i = 0;
        for (; i < q.size(); i++) {
            Entry e = q.get(i);
            if (e.key == key) {
                if (e.state != state) {
                    if (state != State.RECV_PAYLOAD) {
                        close(e);
                    }
                    e.state = state;
                }
                return e;
            }
            if (e.rank > rank) {
                break;
            }
        }
        Entry e = new Entry(key, state, rank);
        q.add(i, e);
        return e;
    }

    private Optional<Entry> find(String peer, long key) {
        List<Entry> q = queues.get(peer);
        if (q == null) {
            return Optional.empty();
        }
        return q.stream().filter(e -> e.key == key).findFirst();
    }

    private static void close(Entry e) {
        if (e.reader != null) {
            try {
                e.reader.close();
            } catch (IOException ignored) {
                // a reader that fails to close has nothing left to give
            }
            e.reader = null;
        }
        if (e.download != null) {
            e.download.abort();
            e.download = null;
        }
    }

    private static int readFully(InputStream in, byte[] b) {
        int n = 0;
        try {
            while (n < b.length) {
                int r = in.read(b, n, b.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            return n;
        }
        return n;
    }

    private static void flush(ByteArrayOutputStream buf, List<byte[]> out) {
        if (buf.size() > 0) {
            out.add(buf.toByteArray());
            buf.reset();
        }
    }

    private void count(String name) {
        count(name, 1);
    }

    private void count(String name, long n) {
        counters.merge(name, n, Long::sum);
    }

    /** The sync key of a manifest as a big-endian long. */
    public static long key(Manifest m) {
        byte[] k = m.syncKey();
        long v = 0;
        for (byte b : k) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
