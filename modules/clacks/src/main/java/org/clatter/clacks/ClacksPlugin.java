package org.clatter.clacks;

/**
 * Sees every accepted request before the listeners, in registration order (clacks-p2p's {@code extend}), and may
 * pass it on (possibly transformed: tuning in, rewriting), or stop it with a status (filtering; 200 drops it
 * quietly). Archiving and persisting plugins pass the payload on unchanged. Unlike clacks-p2p, plugins do not
 * run for ignored senders.
 */
@FunctionalInterface
public interface ClacksPlugin {

    Result onIncoming(Peer from, ClacksPayload payload);

    /** What a plugin decided. */
    sealed interface Result {
        /** Carry on with this (possibly changed) payload. */
        record Proceed(ClacksPayload payload) implements Result {
        }

        /** Stop here and answer {@code status} (200: accepted but dropped; 4xx/5xx: the sender retries). */
        record Stop(int status) implements Result {
        }

        static Result proceed(ClacksPayload payload) {
            return new Proceed(payload);
        }

        static Result stop(int status) {
            return new Stop(status);
        }
    }
}
