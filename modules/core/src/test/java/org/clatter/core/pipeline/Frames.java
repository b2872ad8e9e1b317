package org.clatter.core.pipeline;

import org.clatter.core.buffer.Bytes;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/** Test helpers that play a link's receive thread. */
final class Frames {
    private Frames() {
    }

    /** Receives one frame of {@code length} bytes whose first 8 bytes are {@code value} (big endian). */
    static void receive(FrameSink sink, Link link, LinkAddress source, long value, int length) {
        FrameSlot s = sink.claim();
        Bytes.putU64BE(s.segment(), 0, value);
        s.received(link, source, length, System.nanoTime());
        sink.publish(s);
    }

    static void receive(FrameSink sink, Link link, LinkAddress source, long value) {
        receive(sink, link, source, value, 8);
    }

    /** Waits until {@code condition} holds, failing after {@code millis}. */
    static void await(java.util.function.BooleanSupplier condition, long millis, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting for " + what.get());
            }
            Thread.sleep(1);
        }
    }
}
