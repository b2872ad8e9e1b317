package org.clatter.mdp.engine;

import java.util.ArrayDeque;
import org.clatter.core.metrics.Counter;
import org.clatter.core.metrics.CounterRegistry;

/**
 * One destination's transmit queues, one FIFO per {@link Qos} class. {@link #peek} always answers the oldest frame of
 * the highest-priority class that still holds a frame, dropping (and counting) frames older than their class's latency
 * bound on the way; {@link #offer} refuses (and counts) a frame whose class is full. Single-threaded; allocates only
 * when a deque grows, as before.
 *
 * @param <T> the queued item
 */
final class OverlayQueues<T extends OverlayQueues.Item> {
    /** What the queues need to know about an item. */
    interface Item {
        /** The {@link Qos} ordinal. */
        int queueClass();

        /** When it was first queued (retransmissions keep the first time, so they age too). */
        long queuedAt();
    }

    private final ArrayDeque<T>[] queues;
    private final Counter[] full;
    private final Counter[] stale;
    private int size;

    /** @param prefix counter prefix, e.g. {@code mdp.engine.} (the names end in {@code drop.queue_full.<class>}) */
    @SuppressWarnings("unchecked")
    OverlayQueues(CounterRegistry registry, String prefix) {
        int n = Qos.count();
        queues = new ArrayDeque[n];
        full = new Counter[n];
        stale = new Counter[n];
        for (int i = 0; i < n; i++) {
            Qos q = Qos.ofOrdinal(i);
            queues[i] = new ArrayDeque<>();
            full[i] = registry.counter(prefix + "drop.queue_full." + q.counterName());
            stale[i] = registry.counter(prefix + "drop.stale." + q.counterName());
        }
    }

    /** Queues {@code item} at the tail of its class; false (counted) when that class is full. */
    boolean offer(T item) {
        int c = item.queueClass();
        ArrayDeque<T> q = queues[c];
        if (q.size() >= Qos.ofOrdinal(c).maxLength()) {
            full[c].increment();
            return false;
        }
        q.addLast(item);
        size++;
        return true;
    }

    /**
     * The next frame to send at {@code now}: the head of the highest class holding a frame within its latency bound,
     * or null when none is left. Stale frames met on the way are dropped and counted.
     */
    T peek(long now) {
        for (int c = 0; c < queues.length; c++) {
            ArrayDeque<T> q = queues[c];
            long bound = Qos.ofOrdinal(c).maxLatencyNanos();
            while (!q.isEmpty()) {
                T head = q.peekFirst();
                if (bound != Long.MAX_VALUE && now - head.queuedAt() > bound) {
                    q.pollFirst();
                    size--;
                    stale[c].increment();
                    continue;
                }
                return head;
            }
        }
        return null;
    }

    /** Removes the item {@link #peek} just answered. */
    void remove(T item) {
        queues[item.queueClass()].pollFirst();
        size--;
    }

    /** The highest class holding a frame (stale ones included), or {@link Integer#MAX_VALUE} when empty. */
    int headClass() {
        if (size == 0) {
            return Integer.MAX_VALUE;
        }
        for (int c = 0; c < queues.length; c++) {
            if (!queues[c].isEmpty()) {
                return c;
            }
        }
        return Integer.MAX_VALUE;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Frames waiting in class {@code c}. */
    int size(Qos c) {
        return queues[c.ordinal()].size();
    }
}
