package org.clatter.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.clatter.core.buffer.Bytes;
import org.clatter.spi.transport.SendResult;
import org.junit.jupiter.api.Test;

class OutboundRingTest {
    final TestLink link = new TestLink();
    final TestLink.Address peer = new TestLink.Address("peer");

    @Test
    void everySendResultIsCounted() throws Exception {
        try (Pipeline p = Pipeline.builder().name("results").slotSize(256).build(); Arena a = Arena.ofConfined()) {
            p.start(f -> { });
            MemorySegment frame = a.allocate(300);
            OutboundPublisher out = p.outbound();
            var c = p.counters();
            for (long v = 1; v <= 3; v++) {
                Bytes.putU64BE(frame, 0, v);
                assertEquals(SendResult.SENT, out.send(link, peer, frame, 0, 100));
            }
            Bytes.putU64BE(frame, 0, 4);
            assertEquals(SendResult.SENT, out.broadcast(link, frame, 0, 50));
            assertEquals(SendResult.TOO_LARGE, out.send(link, peer, frame, 0, 300));
            Frames.await(() -> c.counter("pipeline.outbound.sent").get() == 4, 2_000, c::format);
            assertEquals(3L, link.sent);
            assertEquals(1L, link.broadcasts);
            assertEquals(350L, link.byteSum);
            assertFalse(link.outOfOrder);
            assertEquals(1L, c.counter("pipeline.outbound.failed.too_large").get());

            link.result = SendResult.BACK_PRESSURED;
            out.send(link, peer, frame, 8, 10);
            out.send(link, peer, frame, 8, 10);
            Frames.await(() -> c.counter("pipeline.outbound.failed.back_pressured").get() == 2, 2_000, c::format);

            link.result = SendResult.SENT;
            link.toThrow = new IllegalStateException("socket gone");
            out.send(link, peer, frame, 8, 10);
            // the drainer counts the exception and then logs it: wait for both (reading the log as soon as the
            // counter moved found it empty when the drainer was preempted in between)
            Frames.await(() -> c.counter("pipeline.outbound.failed.exception").get() == 1
                    && !p.errorLog().entries().isEmpty(), 2_000, () -> c.format() + p.errorLog().format());
            assertEquals(1, p.errorLog().entries().size(), p.errorLog().format());
            assertEquals("outbound.send", p.errorLog().entries().get(0).site());
            link.toThrow = null;

            OutboundFrame f = out.claim();
            Bytes.putU64BE(f.segment(), 0, 77);
            f.sendTo(link, peer, 8);
            assertEquals(SendResult.SENT, out.publish(f));
            OutboundFrame d = out.claim();
            d.discard();
            out.publish(d);
            Frames.await(() -> link.sent == 6, 2_000, c::format);
            assertEquals(77L, link.lastFirstWord);
        }
    }

    @Test
    void fullOutboundRingDropsAndCountsWithoutBlocking() throws Exception {
        try (Pipeline p = Pipeline.builder().name("outfull").outboundSlots(4).build(); Arena a = Arena.ofConfined()) {
            MemorySegment frame = a.allocate(16);
            int queued = 0;
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                int r = p.outbound().send(link, peer, frame, 0, 16);
                if (r == SendResult.SENT) {
                    queued++;
                } else {
                    assertEquals(SendResult.BACK_PRESSURED, r);
                    refused++;
                }
            }
            assertEquals(4, queued, "the drainer is not started: only the ring's 4 slots fit");
            assertEquals(6, refused);
            assertEquals(6L, p.counters().counter("pipeline.outbound.dropped.ring_full").get());
            p.start(f -> { });
            Frames.await(() -> link.sent == 4, 2_000, () -> p.counters().format());
            assertEquals(SendResult.SENT, p.outbound().send(link, peer, frame, 0, 16));
            Frames.await(() -> link.sent == 5, 2_000, () -> p.counters().format());
        }
    }
}
