package org.clatter.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Steady-state packet flow allocates nothing: inbound ring, handler, outbound ring and drainer, measured per
 * thread with {@link ThreadMXBean#getThreadAllocatedBytes(long)} after warm-up.
 */
class SteadyStateAllocationTest {
    static final int FRAMES = 100_000;
    /** Fixed slack for one-off JIT and bookkeeping allocations; 100k frames at even 1 byte each would exceed it. */
    static final long TOLERANCE_BYTES = 16 * 1024;

    final TestLink link = new TestLink();
    final TestLink.Address peer = new TestLink.Address("peer");
    final ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void packetsFlowThroughBothRingsWithoutAllocating() throws Exception {
        assertTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        try (Pipeline p = Pipeline.builder().name("alloc").inboundSlots(1024).outboundSlots(1024).build()) {
            OutboundPublisher out = p.outbound();
            p.start(f -> out.send(f.link(), f.source(), f.segment(), 0, f.length()));
            AtomicLong engineId = new AtomicLong();
            CountDownLatch got = new CountDownLatch(1);
            p.engine().execute(() -> {
                engineId.set(Thread.currentThread().threadId());
                got.countDown();
            });
            assertTrue(got.await(1, TimeUnit.SECONDS));

            long value = 0;
            for (int round = 0; round < 3; round++) { // warm-up: let the JIT compile every hop
                value = push(p, value);
            }
            long drainerId = link.senderThreadId;
            long engine0 = mx.getThreadAllocatedBytes(engineId.get());
            long drainer0 = mx.getThreadAllocatedBytes(drainerId);
            long producer0 = mx.getCurrentThreadAllocatedBytes();
            value = push(p, value);
            long producer = mx.getCurrentThreadAllocatedBytes() - producer0;
            long engine = mx.getThreadAllocatedBytes(engineId.get()) - engine0;
            long drainer = mx.getThreadAllocatedBytes(drainerId) - drainer0;

            System.out.printf("allocated over %d frames: producer %d B, engine %d B, drainer %d B%n", FRAMES,
                    producer, engine, drainer);
            assertEquals(value, link.sent, "every frame reached the link");
            assertFalse(link.outOfOrder, "frames reached the link in order");
            assertEquals(0L, p.counters().counter("pipeline.inbound.dropped.ring_full").get());
            assertEquals(0L, p.counters().counter("pipeline.outbound.dropped.ring_full").get());
            assertTrue(producer < TOLERANCE_BYTES, "producer thread allocated " + producer + " B");
            assertTrue(engine < TOLERANCE_BYTES, "engine thread allocated " + engine + " B");
            assertTrue(drainer < TOLERANCE_BYTES, "drainer thread allocated " + drainer + " B");
        }
    }

    /** Receives FRAMES frames numbered from {@code first} and waits until the link has sent them all. */
    private long push(Pipeline p, long first) throws InterruptedException {
        long end = first + FRAMES;
        InboundRing in = p.inboundRing();
        OutboundRing out = p.outboundRing();
        for (long v = first; v < end; v++) {
            // Flow control as a real sender's window would do it: never more frames in flight than the
            // outbound ring holds (frame v takes outbound sequence v), so neither ring overflows.
            while (v - out.drainedSequence() > out.size() - 8 || in.remainingCapacity() < 8) {
                Thread.onSpinWait();
            }
            Frames.receive(in, link, peer, v, 64);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (link.sent < end) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + link.sent + " of " + end + " frames sent: " + p.counters().format());
            }
            Thread.onSpinWait();
        }
        return end;
    }
}
