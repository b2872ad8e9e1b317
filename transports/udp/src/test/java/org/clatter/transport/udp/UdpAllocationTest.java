package org.clatter.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * Steady state allocates nothing: after warm-up, the receive thread (select, claim, receive into the slot,
 * intern the sender, publish) and the sending thread (send from a native segment) allocate no bytes per
 * datagram, measured per thread with {@link ThreadMXBean#getThreadAllocatedBytes(long)}.
 */
class UdpAllocationTest {
    private static final int PACKETS = Integer.getInteger("udp.alloc.packets", 20_000);
    private static final int WINDOW = 64;

    /** One reused slot; counts what it is given. */
    private static final class CountingSink implements FrameSink, FrameSlot {
        private final MemorySegment memory = Arena.ofAuto().allocate(2048);
        private final ByteBuffer buffer = memory.asByteBuffer();
        volatile long frames;
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
            bytes += length;
            frames = frames + 1;
        }

        @Override
        public void discard() {
        }
    }

    /** Sends {@code count} frames, {@code batch} per {@link Link#beginBatch()} (0: no batches), with a window. */
    private static void pushThrough(Link a, Link b, CountingSink sink, MemorySegment frame, int count, int batch) {
        long target = sink.frames + count;
        for (int i = 0; i < count; i++) {
            while (target - count + i - sink.frames >= WINDOW) {
                Thread.onSpinWait();
            }
            if (batch > 0 && i % batch == 0) {
                a.beginBatch();
            }
            int r;
            while ((r = a.send(b.localAddress(), frame, 0, (int) frame.byteSize())) == SendResult.BACK_PRESSURED) {
                Thread.onSpinWait();
            }
            assertEquals(SendResult.SENT, r);
            if (batch > 0 && (i % batch == batch - 1 || i == count - 1)) {
                a.endBatch();
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sink.frames < target && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(target, sink.frames, "datagrams lost on loopback");
    }

    @Test
    void steadyStateSendAndReceiveAllocateNothingOnDatagramChannels() {
        steadyState("off", 0);
    }

    @Test
    void steadyStateSendAndReceiveAllocateNothingOnNativeSockets() {
        steadyState("on", 0);
    }

    @Test
    void steadyStateGsoBatchesAndGroReceivesAllocateNothing() {
        UdpLinkCounters[] c = steadyState("on", 16);
        assertTrue(c[0].gsoSends() > 0, "the batches went out with GSO: " + c[0]);
    }

    /** Returns the sender's and receiver's counters. */
    private static UdpLinkCounters[] steadyState(String nativeMode, int batch) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int port = UdpTestPorts.freePort();
        try (Transport t = new UdpTransportProvider().create(Config.of("udp.receive_buffer", "4194304",
                "udp.native", nativeMode));
             Arena arena = Arena.ofConfined()) {
            Link a = t.open("127.1.0.1/8:" + port);
            Link b = t.open("127.1.0.2/8:" + port);
            CountingSink sink = new CountingSink();
            b.start(sink);
            MemorySegment frame = arena.allocate(1000);
            // a batch is one call per 16 frames: give its path as many calls as the others get to be compiled
            for (int warm = batch > 0 ? 10 : 1; warm > 0; warm--) {
                pushThrough(a, b, sink, frame, PACKETS, batch);
            }
            Thread rx = Thread.getAllStackTraces().keySet().stream()
                    .filter(th -> th.getName().equals("clatter-udp-rx-" + b.localAddress())).findFirst().orElseThrow();
            long me = Thread.currentThread().threadId();
            // Per-datagram allocation shows in every round; a round that overlaps a late JIT compilation (the
            // interpreter allocates where compiled code does not) on a loaded machine is retried, up to three.
            long rxBytes = Long.MAX_VALUE;
            long tx = Long.MAX_VALUE;
            for (int round = 0; round < 3 && (rxBytes >= 1024 || tx >= 1024); round++) {
                long rx0 = mx.getThreadAllocatedBytes(rx.threadId());
                long tx0 = mx.getThreadAllocatedBytes(me);
                pushThrough(a, b, sink, frame, PACKETS, batch);
                tx = mx.getThreadAllocatedBytes(me) - tx0;
                rxBytes = mx.getThreadAllocatedBytes(rx.threadId()) - rx0;
                System.out.printf("udp.native=%s, batch %d, round %d: allocated over %d datagrams: receive thread %d"
                        + " bytes, send thread %d bytes;%n  sender %s%n  receiver %s%n", nativeMode, batch, round,
                        PACKETS, rxBytes, tx, UdpTransportProvider.counters(a).orElseThrow(),
                        UdpTransportProvider.counters(b).orElseThrow());
            }
            // a few hundred bytes of noise (JIT deoptimisation, a late resize) is not per-packet allocation
            assertTrue(rxBytes < 1024, "the receive path allocates: " + rxBytes + " bytes for " + PACKETS + " datagrams");
            assertTrue(tx < 1024, "the send path allocates: " + tx + " bytes for " + PACKETS + " datagrams");
            assertEquals(!nativeMode.equals("off"), UdpTransportProvider.counters(a).orElseThrow().nativeSocket());
            return new UdpLinkCounters[] {UdpTransportProvider.counters(a).orElseThrow(),
                    UdpTransportProvider.counters(b).orElseThrow()};
        }
    }
}
