package org.clatter.rhizome.sync;

import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Two {@link SyncEngine}s joined in virtual time, for simulations, tests and benchmarks: each {@link #step} hands
 * each side's due tree message to the other and then up to {@value #MESSAGES_PER_STEP} transfer messages each
 * way over a lossless, in-order pipe (what MSP gives a {@code RhizomeNode}). A is known to B as {@code "A"}, and
 * B to A as {@code "B"}.
 *
 * <pre>
 *   EnginePair pair = new EnginePair(new SyncEngine(storeA, 0), new SyncEngine(storeB, 0));
 *   for (long t = 0; !done(); t += EnginePair.STEP_MS) {
 *       pair.step(t);
 *   }
 * </pre>
 */
public final class EnginePair {
    /** The virtual time between steps that callers normally use. */
    public static final long STEP_MS = 5;
    /** Transfer messages each side may send per step (its MSP window, roughly). */
    public static final int MESSAGES_PER_STEP = 4;

    private final SyncEngine a;
    private final SyncEngine b;
    private final ArrayDeque<byte[]> toA = new ArrayDeque<>();
    private final ArrayDeque<byte[]> toB = new ArrayDeque<>();
    private long treeBytes;
    private long treeMessages;

    public EnginePair(SyncEngine a, SyncEngine b) {
        this.a = a;
        this.b = b;
    }

    public SyncEngine a() {
        return a;
    }

    public SyncEngine b() {
        return b;
    }

    /** One step at virtual time {@code t} (ms): tree messages both ways, then transfers both ways. */
    public void step(long t) {
        tree(a.pollTreeMessage(t), b, "A", t);
        tree(b.pollTreeMessage(t), a, "B", t);
        toB.addAll(a.pollTransfers("B", t, MESSAGES_PER_STEP));
        toA.addAll(b.pollTransfers("A", t, MESSAGES_PER_STEP));
        while (!toB.isEmpty()) {
            b.onTransfer("A", toB.poll(), t);
        }
        while (!toA.isEmpty()) {
            a.onTransfer("B", toA.poll(), t);
        }
    }

    private void tree(Optional<byte[]> m, SyncEngine to, String from, long t) {
        if (m.isPresent()) {
            treeBytes += m.get().length;
            treeMessages++;
            to.onTreeMessage(from, m.get(), t);
        }
    }

    /** True when neither side has transfer work queued. */
    public boolean idle() {
        return a.peersWithWork().isEmpty() && b.peersWithWork().isEmpty();
    }

    /** Tree message bytes sent so far, both sides. */
    public long treeBytes() {
        return treeBytes;
    }

    /** Tree messages sent so far, both sides. */
    public long treeMessages() {
        return treeMessages;
    }

    /** Transfer (MSP) message bytes sent so far, both sides. */
    public long transferBytes() {
        return a.counters().getOrDefault("transfer.tx.bytes", 0L) + b.counters().getOrDefault("transfer.tx.bytes", 0L);
    }
}
