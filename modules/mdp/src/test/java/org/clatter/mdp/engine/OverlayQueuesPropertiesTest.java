package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clatter.core.metrics.CounterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The QoS queues under saturation, against a plain model: every frame taken is the oldest fresh frame of the
 * highest class holding one (so a higher class is never sent after a lower one that was waiting with it), a
 * latency-bounded class never hands out a frame older than its bound, lengths stay within their limits, and every
 * refused or expired frame is counted. Each run is driven by a generated seed, printed on failure.
 */
class OverlayQueuesPropertiesTest {

    record Item(int queueClass, long queuedAt, long id) implements OverlayQueues.Item {
    }

    @Test
    void saturatedQueuesSendHighestFreshClassFirstAndNeverLate() {
        qt().withExamples(200).forAll(longs().all()).checkAssert(OverlayQueuesPropertiesTest::run);
    }

    static void run(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        CounterRegistry reg = new CounterRegistry();
        OverlayQueues<Item> q = new OverlayQueues<>(reg, "t.");
        List<List<Item>> model = new ArrayList<>();
        for (int c = 0; c < Qos.values().length; c++) {
            model.add(new ArrayList<>());
        }
        long[] refused = new long[Qos.values().length];
        long[] expired = new long[Qos.values().length];
        long now = r.nextLong(1L << 40);
        long id = 0;
        int taken = 0;
        for (int step = 0; step < 300; step++) {
            now += r.nextLong(120_000_000L); // up to 120 ms per step: voice and video frames go stale
            int offers = r.nextInt(40);      // far more offered than the budget below: saturation
            for (int i = 0; i < offers; i++) {
                int c = r.nextInt(100) < 60 ? Qos.OPPORTUNISTIC.ordinal() : r.nextInt(Qos.values().length);
                Item it = new Item(c, now - r.nextLong(50_000_000L), id++);
                boolean ok = q.offer(it);
                boolean room = model.get(c).size() < Qos.ofOrdinal(c).maxLength();
                assertEquals(room, ok, "offer accepted iff room; seed " + seed);
                if (ok) {
                    model.get(c).add(it);
                } else {
                    refused[c]++;
                }
            }
            int budget = r.nextInt(12);
            for (int b = 0; b < budget; b++) {
                // The model's answer: expire stale heads, highest class first, the oldest queued in it.
                Item expect = null;
                for (int c = 0; c < model.size() && expect == null; c++) {
                    List<Item> l = model.get(c);
                    long bound = Qos.ofOrdinal(c).maxLatencyNanos();
                    while (!l.isEmpty() && bound != Long.MAX_VALUE && now - l.get(0).queuedAt() > bound) {
                        l.remove(0);
                        expired[c]++;
                    }
                    if (!l.isEmpty()) {
                        expect = l.remove(0);
                    }
                }
                Item got = q.peek(now);
                assertEquals(expect, got, "next frame; seed " + seed + " step " + step);
                if (got == null) {
                    break;
                }
                q.remove(got);
                taken++;
                long bound = Qos.ofOrdinal(got.queueClass()).maxLatencyNanos();
                assertTrue(bound == Long.MAX_VALUE || now - got.queuedAt() <= bound,
                        "a " + Qos.ofOrdinal(got.queueClass()) + " frame older than its bound; seed " + seed);
                for (int c = 0; c < got.queueClass(); c++) {
                    assertEquals(0, q.size(Qos.ofOrdinal(c)), "a higher class was waiting; seed " + seed);
                }
            }
            for (Qos c : Qos.values()) {
                assertTrue(q.size(c) <= c.maxLength(), "length bound of " + c + "; seed " + seed);
            }
        }
        assertTrue(taken > 0, "something was sent; seed " + seed);
        for (Qos c : Qos.values()) {
            assertEquals(refused[c.ordinal()], (long) reg.counter("t.drop.queue_full." + c.counterName()).get(),
                    "queue_full count of " + c + "; seed " + seed);
            assertEquals(expired[c.ordinal()], (long) reg.counter("t.drop.stale." + c.counterName()).get(),
                    "stale count of " + c + "; seed " + seed);
        }
        assertTrue(refused[Qos.OPPORTUNISTIC.ordinal()] > 0, "the bulk class saturated; seed " + seed);
    }
}
