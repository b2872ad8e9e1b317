package org.clatter.clacks;

/** What {@link ClacksNode#enqueue} did; expected outcomes are results, not exceptions. */
public enum EnqueueResult {
    /** Queued; it goes out at a send tick once a peer can take it (it is kept while there are no peers). */
    QUEUED,
    /** Not queued because it is falsy ({@code null}, {@code false}, {@code 0}, {@code ""}), as clacks-p2p does. */
    FALSY,
    /** Not queued: longer than {@code maxMessageBytes} as JSON. */
    TOO_LARGE,
    /** Not queued: nested deeper than {@code maxDepth} (receivers would refuse it). */
    TOO_DEEP,
    /** Not queued: {@code maxQueue} messages are queued or in flight. */
    QUEUE_FULL
}
