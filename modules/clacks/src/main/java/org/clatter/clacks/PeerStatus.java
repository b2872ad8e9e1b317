package org.clatter.clacks;

/**
 * A peer's status, as in clacks-p2p (spec section 6): {@code NEW} until it answers, {@code ALIVE} after a
 * success or a request from it, {@code LOST} after a failed send, {@code DEAD} after failing more than the kill
 * timeout after becoming lost, {@code IGNORED} by choice (never sent to; its requests get 403).
 */
public enum PeerStatus {
    NEW, ALIVE, LOST, DEAD, IGNORED;

    /** The name clacks-p2p uses. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
