package org.clatter.clacks.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clatter.clacks.Peer;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.PeerStatus;

/**
 * Peers by address, plus one list per status for uniform selection in O(1) (swap-remove keeps each entry's index).
 * Bounded: {@link #add} refuses when full and nothing dead or lost can be evicted.
 */
final class PeerTable {

    /** One peer's mutable state; owned by the engine thread. */
    static final class Entry {
        final PeerAddress address;
        PeerStatus status;
        long sinceNanos;
        long lastAttemptNanos = Long.MIN_VALUE;
        int inFlight;
        int index;

        Entry(PeerAddress address, PeerStatus status, long now) {
            this.address = address;
            this.status = status;
            this.sinceNanos = now;
        }

        Peer snapshot() {
            return new Peer(address, status, sinceNanos, inFlight);
        }
    }

    private final int capacity;
    private final Map<PeerAddress, Entry> byAddress = new HashMap<>();
    private final EnumMap<PeerStatus, List<Entry>> lists = new EnumMap<>(PeerStatus.class);

    PeerTable(int capacity) {
        this.capacity = capacity;
        for (PeerStatus s : PeerStatus.values()) {
            lists.put(s, new ArrayList<>());
        }
    }

    Optional<Entry> get(PeerAddress a) {
        return Optional.ofNullable(byAddress.get(a));
    }

    int size() {
        return byAddress.size();
    }

    List<Entry> list(PeerStatus s) {
        return lists.get(s);
    }

    /** Adds an entry, evicting the longest-dead (then longest-lost) peer when full; empty if neither exists. */
    Optional<Entry> add(PeerAddress a, PeerStatus status, long now, List<Entry> evicted) {
        if (byAddress.size() >= capacity) {
            Optional<Entry> victim = oldest(PeerStatus.DEAD).or(() -> oldest(PeerStatus.LOST));
            if (victim.isEmpty()) {
                return Optional.empty();
            }
            remove(victim.get());
            evicted.add(victim.get());
        }
        Entry e = new Entry(a, status, now);
        byAddress.put(a, e);
        insert(e);
        return Optional.of(e);
    }

    private Optional<Entry> oldest(PeerStatus s) {
        Entry best = null;
        for (Entry e : lists.get(s)) {
            if (e.inFlight == 0 && (best == null || e.sinceNanos < best.sinceNanos)) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    void setStatus(Entry e, PeerStatus s, long now) {
        if (e.status == s) {
            return;
        }
        detach(e);
        e.status = s;
        e.sinceNanos = now;
        insert(e);
    }

    void remove(Entry e) {
        detach(e);
        byAddress.remove(e.address);
    }

    private void insert(Entry e) {
        List<Entry> l = lists.get(e.status);
        e.index = l.size();
        l.add(e);
    }

    private void detach(Entry e) {
        List<Entry> l = lists.get(e.status);
        Entry last = l.removeLast();
        if (last != e) {
            l.set(e.index, last);
            last.index = e.index;
        }
    }

    List<Peer> snapshot() {
        List<Peer> out = new ArrayList<>(byAddress.size());
        for (Entry e : byAddress.values()) {
            out.add(e.snapshot());
        }
        out.sort((x, y) -> x.address().compareTo(y.address()));
        return out;
    }
}
