package org.clatter.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;
import org.junit.jupiter.api.Test;

/**
 * Scale: every node of a 10×10 grid and of a 2,000-node random graph broadcasts periodically for many virtual
 * seconds. Checks that every broadcast reaches every neighbour (lossless profile) and prints the real time per
 * thousand deliveries.
 */
class SimScaleTest {
    private static final long MS = 1_000_000L;

    /** Counts deliveries through one reused slot: the simulation's own cost, not a recording sink's. */
    private static final class CountingSink implements FrameSink, FrameSlot {
        private final MemorySegment memory = Arena.ofAuto().allocate(2048);
        private final ByteBuffer buffer = memory.asByteBuffer();
        long frames;
        long bytes;

        @Override
        public FrameSlot claim() {
            buffer.clear();
            return this;
        }

        @Override
        public void publish(FrameSlot slot) {
        }

        @Override
        public MemorySegment segment() {
            return memory;
        }

        @Override
        public ByteBuffer byteBuffer() {
            return buffer;
        }

        @Override
        public int capacity() {
            return 2048;
        }

        @Override
        public void received(Link link, LinkAddress source, int length, long receivedNanos) {
            frames++;
            bytes += length;
        }

        @Override
        public void discard() {
        }
    }

    /** Broadcasts every {@code period} until {@code end}, rescheduling itself (no lambda per beacon). */
    private static final class Beacon implements Runnable {
        final VirtualScheduler scheduler;
        final Link link;
        final MemorySegment frame;
        final long period;
        final long end;
        long sent;

        Beacon(VirtualScheduler scheduler, Link link, MemorySegment frame, long period, long end) {
            this.scheduler = scheduler;
            this.link = link;
            this.frame = frame;
            this.period = period;
            this.end = end;
        }

        @Override
        public void run() {
            assertEquals(SendResult.SENT, link.broadcast(frame, 0, (int) frame.byteSize()));
            sent++;
            long next = scheduler.clock().nanos() + period;
            if (next < end) {
                scheduler.schedule(next, this);
            }
        }
    }

    private record Result(long deliveries, long expected, long realNanos, long virtualNanos) {
    }

    private static Result run(SimNetwork net, List<String> nodes, long periodNanos, long virtualNanos) {
        VirtualScheduler s = net.scheduler();
        CountingSink sink = new CountingSink();
        MemorySegment frame = Arena.ofAuto().allocate(100);
        SplittableRandom stagger = new SplittableRandom(net.seed());
        Beacon[] beacons = new Beacon[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Link l = net.transport(nodes.get(i)).open("");
            l.start(sink);
            beacons[i] = new Beacon(s, l, frame, periodNanos, virtualNanos);
            s.schedule(stagger.nextLong(periodNanos), beacons[i]);
        }
        long t0 = System.nanoTime();
        s.runUntil(virtualNanos + 10_000 * MS);
        long real = System.nanoTime() - t0;
        long expected = 0;
        for (int i = 0; i < nodes.size(); i++) {
            expected += beacons[i].sent * net.neighbours(nodes.get(i)).size();
        }
        assertEquals(0, s.pending(), "events left over");
        return new Result(sink.frames, expected, real, virtualNanos);
    }

    private static void report(String what, Result r) {
        System.out.printf(Locale.ROOT, "%s: %,d deliveries over %d virtual s in %d ms real: %.3f ms per 1,000 events, "
                        + "%,.0f events/s%n", what, r.deliveries, r.virtualNanos / 1_000_000_000L, r.realNanos / 1_000_000,
                r.realNanos / 1e6 / (r.deliveries / 1000.0), r.deliveries * 1e9 / r.realNanos);
    }

    @Test
    void gridOfOneHundredBroadcastingNodes() {
        SimNetwork net = new SimNetwork(new VirtualScheduler(), 10);
        List<String> nodes = net.grid(10, 10);
        Result r = run(net, nodes, 100 * MS, 60_000 * MS);
        report("10x10 grid, beacon every 100 ms", r);
        assertEquals(r.expected, r.deliveries, "lossless: every broadcast reaches every neighbour");
        assertEquals(r.expected, net.totals().delivered());
        assertTrue(r.deliveries > 200_000);
    }

    @Test
    void randomGraphOfTwoThousandBroadcastingNodes() {
        SimNetwork net = new SimNetwork(new VirtualScheduler(), 20);
        List<String> nodes = net.random(2000, 6);
        Result r = run(net, nodes, 500 * MS, 20_000 * MS);
        report("2,000-node random graph (degree 6), beacon every 500 ms", r);
        assertEquals(r.expected, r.deliveries, "lossless: every broadcast reaches every neighbour");
        assertTrue(r.deliveries > 400_000);
        // generous bound for a loaded 2-core machine: well under a millisecond per thousand events is typical
        assertTrue(r.realNanos < 30_000_000_000L, "the simulation is far too slow: " + r.realNanos / 1_000_000 + " ms");
    }
}
