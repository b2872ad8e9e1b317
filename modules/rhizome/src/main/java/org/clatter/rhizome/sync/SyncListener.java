package org.clatter.rhizome.sync;

/** The notifications the trie logic raises per (neighbour, key) ({@code serval-rhizome-sync.md} §5). */
public interface SyncListener {
    /** The neighbour lacks a key this node holds: start offering it. */
    void peerLacks(String peer, long key);

    /** The neighbour holds a key this node lacks (servald waits for its offer). */
    void peerHas(String peer, long key);

    /** The neighbour now holds a key it lacked. */
    void peerNowHas(String peer, long key);
}
