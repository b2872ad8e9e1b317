package org.clatter.clacks;

import java.util.Optional;
import org.clatter.clacks.json.JsonValue;

/**
 * Listeners a node calls on its engine thread; keep them short. An exception thrown by a listener is caught and
 * counted ({@code listener.errors}); unlike clacks-p2p it never turns into a 500 and a retry loop.
 */
public final class ClacksListener {
    private ClacksListener() {
    }

    /** A message arrived; return it (or a replacement) to queue it, or empty to veto it (still answered 200). */
    @FunctionalInterface
    public interface MessageReceived {
        Optional<JsonValue> onMessageReceived(Peer from, ClacksPayload payload);
    }

    /** A message entered the queue (enqueued locally, received, or re-queued after a failed send). */
    @FunctionalInterface
    public interface MessageQueued {
        void onMessageQueued(JsonValue message);
    }

    /** A peer entered the table, or changed status. */
    @FunctionalInterface
    public interface PeerChanged {
        void onPeer(Peer peer);
    }
}
