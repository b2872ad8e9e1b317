package org.clatter.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.clatter.core.buffer.Bytes;
import org.clatter.spi.transport.FrameSlot;
import org.junit.jupiter.api.Test;

class InboundRingTest {
    final TestLink link = new TestLink();
    final TestLink.Address peer = new TestLink.Address("peer");

    @Test
    void concurrentProducersDeliverEveryFrameInPerProducerOrder() throws Exception {
        int producers = 4;
        int perProducer = 25_000;
        long[] last = new long[producers];
        java.util.Arrays.fill(last, -1);
        long[] seen = new long[producers];
        AtomicLong disorder = new AtomicLong();
        try (Pipeline p = Pipeline.builder().name("order").inboundSlots(1024).build()) {
            p.start(f -> {
                int who = (int) Bytes.getU32BE(f.segment(), 0);
                long seq = Bytes.getU32BE(f.segment(), 4);
                if (seq <= last[who] || f.link() != link || !f.source().equals(peer) || f.length() != 8) {
                    disorder.incrementAndGet();
                }
                last[who] = seq;
                seen[who]++;
            });
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < producers; t++) {
                int who = t;
                threads.add(Thread.ofPlatform().name("link-" + t).start(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        while (p.inboundRing().remainingCapacity() < 64) {
                            Thread.onSpinWait();
                        }
                        Frames.receive(p.inbound(), link, peer, ((long) who << 32) | i);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            var frames = p.counters().counter("pipeline.inbound.frames");
            var dropped = p.counters().counter("pipeline.inbound.dropped.ring_full");
            Frames.await(() -> frames.get() + dropped.get() == (long) producers * perProducer, 10_000,
                    () -> p.counters().format());
            assertEquals(0L, disorder.get(), "frames out of order or with wrong metadata");
            assertEquals(0L, dropped.get(), "the producers kept headroom, so nothing should overflow");
            for (int t = 0; t < producers; t++) {
                assertEquals(perProducer - 1, last[t], "producer " + t + " last frame");
                assertEquals((long) perProducer, seen[t]);
            }
        }
    }

    @Test
    void fullRingHandsOutOverflowSlotsThatAreCountedAndLaterFramesFlow() throws Exception {
        List<Long> got = new CopyOnWriteArrayList<>();
        try (Pipeline p = Pipeline.builder().name("overflow").inboundSlots(8).build()) {
            for (long v = 0; v < 8; v++) {
                Frames.receive(p.inbound(), link, peer, v);
            }
            assertEquals(0L, p.inboundRing().remainingCapacity());
            Frames.receive(p.inbound(), link, peer, 100);
            Frames.receive(p.inbound(), link, peer, 101);
            FrameSlot empty = p.inbound().claim();
            empty.discard();
            p.inbound().publish(empty);
            var dropped = p.counters().counter("pipeline.inbound.dropped.ring_full");
            assertEquals(2L, dropped.get(), "two frames dropped; a discarded overflow slot is not a drop");

            p.start(f -> got.add(Bytes.getU64BE(f.segment(), 0)));
            Frames.await(() -> got.size() == 8, 5_000, got::toString);
            for (long v = 10; v < 15; v++) {
                Frames.receive(p.inbound(), link, peer, v);
            }
            Frames.await(() -> got.size() == 13, 5_000, got::toString);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 10L, 11L, 12L, 13L, 14L), got);
            assertEquals(2L, dropped.get());
        }
    }

    @Test
    void discardedAndUnfilledSlotsAreSkippedWithoutBreakingOrder() throws Exception {
        List<Long> got = new CopyOnWriteArrayList<>();
        try (Pipeline p = Pipeline.builder().name("discard").inboundSlots(16).build()) {
            p.start(f -> got.add(Bytes.getU64BE(f.segment(), 0)));
            Frames.receive(p.inbound(), link, peer, 1);
            FrameSlot s = p.inbound().claim();
            Bytes.putU64BE(s.segment(), 0, 99);
            s.discard();
            p.inbound().publish(s);
            FrameSlot unfilled = p.inbound().claim();
            p.inbound().publish(unfilled);
            Frames.receive(p.inbound(), link, peer, 2);
            var discarded = p.counters().counter("pipeline.inbound.discarded");
            Frames.await(() -> got.size() == 2 && discarded.get() == 2, 5_000, got::toString);
            assertEquals(List.of(1L, 2L), got);
        }
    }

    @Test
    void claimedSlotsAreClearedAndMisuseIsRejectedClearly() {
        try (Pipeline p = Pipeline.builder().name("misuse").inboundSlots(8).slotSize(1500).build();
             Pipeline other = Pipeline.builder().name("other").inboundSlots(8).build()) {
            FrameSlot s = p.inbound().claim();
            assertEquals(1500, s.capacity());
            assertEquals(0, s.byteBuffer().position());
            assertEquals(1500, s.byteBuffer().limit());
            s.byteBuffer().put(new byte[10]).flip();
            var e = assertThrows(IllegalArgumentException.class, () -> s.received(link, peer, 1501, 0));
            assertTrue(e.getMessage().contains("discard()"), e.getMessage());
            s.discard();
            assertThrows(IllegalArgumentException.class, () -> other.inbound().publish(s));
            p.inbound().publish(s);
            FrameSlot again = p.inbound().claim();
            assertEquals(1500, again.byteBuffer().limit(), "the view is cleared at every claim");
            again.discard();
            p.inbound().publish(again);
            assertFalse(p.inboundRing().remainingCapacity() > 8);
        }
    }
}
