package org.clatter.rhizome.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sync-keys reconciliation state of one node ({@code serval-rhizome-sync.md} §4–§8): its own key trie T, a
 * difference trie D(P) per neighbour, and the shared transmit queue, with servald's receive algorithm step by
 * step. Single-threaded; no I/O and no clock (the {@link SyncEngine} adds timing).
 *
 * <pre>
 *   addKey(K) ──► T (+ remove K from every D(P)) ──► queue
 *   receive(P, records) ──► steps 1–13 of §8 ──► peer-lacks / peer-has / peer-now-has ──► listener
 *                                              └─► queue (nodes of T and of D(P))
 *   buildMessage() ◄── queue (front to back, ≤ 116 records; the root when nothing is queued)
 * </pre>
 */
public final class SyncTree {
    enum State { IDLE, QUEUED, SENT, CANCELLED }

    static final class Node {
        final Node[] child = new Node[2];
        int p;
        int m;
        boolean h;
        long v;
        State state = State.IDLE;
        int sent;
        /** Leaves below (1 for a leaf): its parity gives a new parent's summary without visiting the leaves. */
        long count = 1;
        Node prev;
        Node next;
        boolean queued;

        boolean leaf() {
            return p == TreeRecord.LEAF;
        }

        TreeRecord record() {
            return new TreeRecord(h, m, p, v);
        }
    }

    /** A compressed binary trie with XOR summaries (§4). */
    final class Trie {
        Node root;

        boolean isEmpty() {
            return root == null;
        }

        Node insert(long k, boolean h) {
            Node parent = null;
            int slot = -1;
            int d = 0;
            int c = 0;
            while (true) {
                Node n = parent == null ? root : parent.child[slot];
                if (n == null) {
                    Node leaf = new Node();
                    leaf.v = k;
                    leaf.p = TreeRecord.LEAF;
                    leaf.m = c;
                    leaf.h = h;
                    set(parent, slot, leaf);
                    return leaf;
                }
                int b = bit(k, d);
                if (n.p == d) {
                    fold(n, k);
                    changed(n);
                    n.count++;
                    d++;
                    c = d;
                    parent = n;
                    slot = b;
                    continue;
                }
                if (bit(n.v, d) == b) {
                    d++;
                    continue;
                }
                Node p = new Node();
                p.p = d;
                p.m = c;
                p.h = h;
                p.child[bit(n.v, d)] = n;
                n.m = d + 1;
                p.v = summary(n, d);
                p.count = n.count;
                set(parent, slot, p);
            }
        }

        private void set(Node parent, int slot, Node n) {
            if (parent == null) {
                root = n;
            } else {
                parent.child[slot] = n;
            }
        }

        void remove(long k) {
            Node grand = null;
            int grandSlot = -1;
            Node parent = null;
            int slot = -1;
            Node n = root;
            int d = 0;
            while (n != null && !n.leaf()) {
                d = n.p;
                fold(n, k);
                changed(n);
                n.count--;
                grand = parent;
                grandSlot = slot;
                parent = n;
                slot = bit(k, d);
                n = n.child[slot];
            }
            if (n == null || n.v != k) {
                throw new IllegalStateException("key " + Long.toHexString(k) + " is not in the trie");
            }
            dequeue(n);
            if (parent == null) {
                root = null;
                return;
            }
            Node other = parent.child[1 - slot];
            parent.child[slot] = null;
            if (other == null) {
                set(grand, grandSlot, null);
            } else {
                other.m = parent.m;
                set(grand, grandSlot, other);
            }
            dequeue(parent);
        }

        /** The leaf holding exactly {@code k}: a crit-bit walk (every key under a node shares its first p bits). */
        Optional<Node> findKey(long k) {
            Node n = root;
            while (n != null && !n.leaf()) {
                n = n.child[bit(k, n.p)];
            }
            return n != null && n.v == k ? Optional.of(n) : Optional.empty();
        }

        void leaves(Node n, List<Node> out) {
            if (n == null) {
                return;
            }
            if (n.leaf()) {
                out.add(n);
                return;
            }
            leaves(n.child[0], out);
            leaves(n.child[1], out);
        }
    }

    private final Trie own = new Trie();
    private final Map<String, Trie> diffs = new HashMap<>();
    private final SyncListener listener;
    private Node head;
    private Node tail;
    private int ownKeys;

    public SyncTree(SyncListener listener) {
        this.listener = listener;
    }

    static int bit(long v, int i) {
        return (int) (v >>> (63 - i)) & 1;
    }

    static long prefixMask(int p) {
        return p <= 0 ? 0 : p >= 64 ? -1L : -1L << (64 - p);
    }

    private static void fold(Node n, long k) {
        long pm = prefixMask(n.p);
        n.v = (n.v & pm) | ((n.v ^ k) & ~pm);
    }

    /**
     * The summary with prefix length {@code p} (< n.p) of the keys under {@code n}: their shared prefix up to p,
     * then the XOR of their bits from p. Bits p..n.p-1 are shared by all of them, so their XOR is those bits
     * when the key count is odd and 0 when even; bits from n.p are n's own XOR summary.
     */
    private static long summary(Node n, int p) {
        long shared = prefixMask(n.p);
        long pm = prefixMask(p);
        long middle = shared & ~pm;
        return (n.v & pm) | ((n.count & 1) == 1 ? n.v & middle : 0) | (n.v & ~shared);
    }

    /** The changed-summary rule (§4.3). */
    private static void changed(Node n) {
        if (n.state == State.SENT) {
            n.state = State.IDLE;
        } else if (n.state == State.QUEUED && n.sent > 0) {
            n.state = State.CANCELLED;
        }
        n.sent = 0;
    }

    /** §4.5: servald's deliberately loose same-set test. */
    static boolean match(TreeRecord x, TreeRecord y) {
        int c = Math.min(x.prefixLen(), y.prefixLen());
        int sx = x.prefixLen() == TreeRecord.LEAF ? x.minPrefix() : x.prefixLen();
        int sy = y.prefixLen() == TreeRecord.LEAF ? y.minPrefix() : y.prefixLen();
        int s = Math.max(sx, sy);
        if (c >= s) {
            return x.value() == y.value();
        }
        boolean head = c < 8 || bytesEqual(x.value(), y.value(), 0, c / 8);
        int from = (s + 7) / 8;
        boolean tail = from >= 8 || bytesEqual(x.value(), y.value(), from, 8);
        return head && tail;
    }

    private static boolean bytesEqual(long a, long b, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((byte) (a >>> (56 - 8 * i)) != (byte) (b >>> (56 - 8 * i))) {
                return false;
            }
        }
        return true;
    }

    // ---- transmit queue (§7)

    private void enqueue(Node n, boolean front) {
        n.state = State.QUEUED;
        if (n.queued) {
            return;
        }
        n.queued = true;
        if (head == null) {
            head = tail = n;
        } else if (front) {
            n.next = head;
            head.prev = n;
            head = n;
        } else {
            n.prev = tail;
            tail.next = n;
            tail = n;
        }
    }

    private void dequeue(Node n) {
        if (!n.queued) {
            return;
        }
        if (n.prev != null) {
            n.prev.next = n.next;
        } else {
            head = n.next;
        }
        if (n.next != null) {
            n.next.prev = n.prev;
        } else {
            tail = n.prev;
        }
        n.prev = n.next = null;
        n.queued = false;
    }

    /** True when records are queued (servald then sends within 5 ms). */
    public boolean hasQueued() {
        return head != null;
    }

    /** Builds the next tree message (at most {@code limit} records; the root or "no keys" when nothing is queued). */
    public List<TreeRecord> buildMessage(int limit) {
        List<TreeRecord> out = new ArrayList<>();
        while (head != null && out.size() < limit) {
            Node n = head;
            dequeue(n);
            if (n.state == State.QUEUED) {
                out.add(n.record());
                n.sent++;
                n.state = State.SENT;
            }
        }
        if (out.isEmpty()) {
            out.add(own.root == null ? TreeRecord.EMPTY : own.root.record());
        }
        return out;
    }

    // ---- own keys

    /** Adds a key this node now holds; removes it from every D(P). False if it was already present. */
    public boolean addKey(long k) {
        if (own.findKey(k).isPresent()) {
            return false;
        }
        own.insert(k, true);
        ownKeys++;
        for (Trie d : diffs.values()) {
            if (d.findKey(k).isPresent()) {
                d.remove(k);
            }
        }
        return true;
    }

    public boolean hasKey(long k) {
        return own.findKey(k).isPresent();
    }

    public int size() {
        return ownKeys;
    }

    /** The root record (what a node sends when nothing is queued). */
    public TreeRecord root() {
        return own.root == null ? TreeRecord.EMPTY : own.root.record();
    }

    /** Forgets D(P) (after a failed or stopped transfer stream, §5). */
    public void forgetPeer(String peer) {
        Trie d = diffs.remove(peer);
        if (d != null) {
            List<Node> ns = new ArrayList<>();
            collectAll(d.root, ns);
            ns.forEach(this::dequeue);
        }
    }

    private static void collectAll(Node n, List<Node> out) {
        if (n != null) {
            out.add(n);
            collectAll(n.child[0], out);
            collectAll(n.child[1], out);
        }
    }

    /** D(P) as text (keys with their H), for diagnostics. */
    String describe(String peer) {
        Trie d = diffs.get(peer);
        List<Node> ls = new ArrayList<>();
        if (d != null) {
            d.leaves(d.root, ls);
        }
        StringBuilder b = new StringBuilder("D(" + peer + ")=[");
        for (Node l : ls) {
            b.append(Long.toHexString(l.v)).append(l.h ? "/H " : "/h ");
        }
        return b.append("] queued=").append(hasQueued()).toString();
    }

    /** Keys in D(P) with H = 0: what P is known to hold that this node lacks. */
    public List<Long> peerHolds(String peer) {
        Trie d = diffs.get(peer);
        List<Long> out = new ArrayList<>();
        if (d != null) {
            List<Node> ls = new ArrayList<>();
            d.leaves(d.root, ls);
            for (Node l : ls) {
                if (!l.h) {
                    out.add(l.v);
                }
            }
        }
        return out;
    }

    // ---- receive (§6, §8)

    /** Processing outcome of one message. */
    public enum Received { OK, BAD_LENGTH, MALFORMED_RECORD }

    /** Processes a received tree message payload from {@code peer}. */
    public Received receive(String peer, byte[] payload, int off, int len) {
        if (len % TreeRecord.BYTES != 0 || len == 0) {
            return Received.BAD_LENGTH;
        }
        Trie d = diffs.computeIfAbsent(peer, k -> new Trie());
        for (int i = 0; i < len; i += TreeRecord.BYTES) {
            TreeRecord r = TreeRecord.decode(payload, off + i);
            if (!r.isWellFormed()) {
                return Received.MALFORMED_RECORD;
            }
            process(peer, d, r);
        }
        return Received.OK;
    }

    private void process(String peer, Trie dp, TreeRecord r) {
        if (own.isEmpty()) {
            learn(peer, dp, r);
            return;
        }
        if (r.prefixLen() == TreeRecord.NO_KEYS) {
            offerAll(peer, dp, own.root, -1, false);
            return;
        }
        Node q = null;
        TreeRecord adj = r;
        if (!dp.isEmpty() && r.have()) {
            Object[] a = adjust(dp, r);
            adj = (TreeRecord) a[0];
            q = (Node) a[1];
        }
        boolean blank = blank(r.prefixLen(), adj.value());
        Node n = own.root;
        int d = 0;
        while (true) {
            // step 5
            if (match(r, n.record())) {
                if (n.state == State.QUEUED) {
                    n.state = State.CANCELLED;
                }
                if (r.have()) {
                    if (q != null) {
                        List<Node> ls = new ArrayList<>();
                        dp.leaves(q, ls);
                        for (Node l : ls) {
                            if (l.h) {
                                listener.peerNowHas(peer, l.v);
                                dp.remove(l.v);
                            }
                        }
                    }
                } else {
                    markMissing(peer, dp, n, false);
                }
                return;
            }
            // step 6
            if (match(adj, n.record())) {
                return;
            }
            // step 7
            if (r.prefixLen() <= d) {
                if (blank) {
                    offerAll(peer, dp, n, -1, true);
                } else if (n.p > r.prefixLen()) {
                    enqueue(n, true);
                } else {
                    long pm = prefixMask(r.prefixLen());
                    TreeRecord x = new TreeRecord(adj.have(), adj.minPrefix(), adj.prefixLen(), adj.value() ^ (n.v & ~pm));
                    Node tn = n;
                    int e = d;
                    while (tn != null) {
                        if (match(tn.record(), x)) {
                            offerAll(peer, dp, tn, -1, true);
                            return;
                        }
                        if (tn.leaf() || e > 63) {
                            break;
                        }
                        int b = bit(x.value(), e);
                        if (e < tn.p && bit(tn.v, e) != b) {
                            break;
                        }
                        if (e == tn.p) {
                            tn = tn.child[b];
                        }
                        e++;
                    }
                    if (!n.leaf()) {
                        if (n.child[0] != null) {
                            enqueue(n.child[0], false);
                        }
                        if (n.child[1] != null) {
                            enqueue(n.child[1], false);
                        }
                    }
                }
                return;
            }
            // steps 8-9
            int b = bit(r.value(), d);
            boolean back5 = false;
            while (d < n.p && d < r.prefixLen()) {
                if (bit(n.v, d) != b) {
                    if (d >= r.minPrefix() && r.have()) {
                        offerAll(peer, dp, n, -1, false);
                        if (r.prefixLen() != TreeRecord.LEAF) {
                            enqueue(n, false);
                        }
                    }
                    if (r.prefixLen() == TreeRecord.LEAF) {
                        learn(peer, dp, r);
                    }
                    return;
                }
                d++;
                if (d > 63) {
                    // servald aborts here (§17 B7: keys equal except bit 63); we ignore the record
                    return;
                }
                b = bit(r.value(), d);
            }
            // step 10
            if (r.prefixLen() <= d) {
                back5 = true;
            }
            if (back5) {
                continue;
            }
            // step 11: d == n.p < r.p
            if (r.minPrefix() <= n.p && r.have()) {
                offerAll(peer, dp, n, b, false);
            }
            // step 12
            if (n.child[b] == null) {
                if (r.prefixLen() == TreeRecord.LEAF) {
                    learn(peer, dp, r);
                } else {
                    enqueue(n, false);
                }
                return;
            }
            // step 13
            n = n.child[b];
            d++;
        }
    }

    /** §6 adjust: returns {R', Q}. */
    private static Object[] adjust(Trie dp, TreeRecord r) {
        Node n = dp.root;
        int d = 0;
        TreeRecord none = r;
        while (d < r.prefixLen()) {
            if (n.leaf()) {
                if (match(n.record(), r)) {
                    break;
                } else if (r.prefixLen() == TreeRecord.LEAF) {
                    return new Object[] {none, null};
                }
            }
            if (d > 63) {
                return new Object[] {none, null};
            }
            int b = bit(r.value(), d);
            if (d < n.p) {
                if (bit(n.v, d) != b) {
                    return new Object[] {none, null};
                }
            } else {
                n = n.child[b];
                if (n == null) {
                    return new Object[] {none, null};
                }
            }
            d++;
        }
        Node q = n;
        long v = r.value();
        if (r.prefixLen() < TreeRecord.LEAF) {
            long pm = prefixMask(r.prefixLen());
            if (q.p == r.prefixLen() || q.leaf()) {
                v ^= q.v & ~pm;
            } else {
                List<Node> ls = new ArrayList<>();
                dp.leaves(q, ls);
                for (Node l : ls) {
                    v ^= l.v & ~pm;
                }
            }
        }
        return new Object[] {new TreeRecord(r.have(), r.minPrefix(), r.prefixLen(), v), q};
    }

    private static boolean blank(int p, long v) {
        int from = p / 8 + 1;
        for (int i = from; i < 8; i++) {
            if ((byte) (v >>> (56 - 8 * i)) != 0) {
                return false;
            }
        }
        return true;
    }

    private enum Mark { QUEUE, NOTHING }

    private Mark markMissing(String peer, Trie dp, Node leaf, boolean mayRemove) {
        Optional<Node> found = dp.findKey(leaf.v);
        if (found.isPresent()) {
            if (found.get().h && mayRemove) {
                listener.peerNowHas(peer, leaf.v);
                dp.remove(leaf.v);
                return Mark.QUEUE;
            }
            return Mark.NOTHING;
        }
        dp.insert(leaf.v, true);
        listener.peerLacks(peer, leaf.v);
        return Mark.QUEUE;
    }

    private void offerAll(String peer, Trie dp, Node n, int except, boolean mayRemove) {
        List<Node> ls = new ArrayList<>();
        if (n.leaf()) {
            ls.add(n);
        } else {
            for (int i = 0; i < 2; i++) {
                if (i != except) {
                    own.leaves(n.child[i], ls);
                }
            }
        }
        for (Node l : ls) {
            if (markMissing(peer, dp, l, mayRemove) == Mark.QUEUE) {
                enqueue(l, true);
            }
        }
    }

    private void learn(String peer, Trie dp, TreeRecord r) {
        if (r.prefixLen() != TreeRecord.LEAF || !r.have()) {
            return;
        }
        if (dp.findKey(r.value()).isPresent() || own.findKey(r.value()).isPresent()) {
            return;
        }
        Node leaf = dp.insert(r.value(), false);
        listener.peerHas(peer, r.value());
        enqueue(leaf, false);
    }
}
