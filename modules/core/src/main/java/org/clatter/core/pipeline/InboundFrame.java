package org.clatter.core.pipeline;

import java.lang.foreign.MemorySegment;
import org.clatter.core.buffer.PacketBuffer;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/**
 * A received frame as the engine sees it: a view of an inbound ring slot, valid only during
 * {@link PacketHandler#onFrame}. The frame occupies bytes {@code [0, length())} of {@link #buffer()}; an
 * engine that keeps anything copies it.
 */
public interface InboundFrame {

    /** The link it arrived on. */
    Link link();

    /** The sender's link-layer address (interned by the transport: compare with {@code equals}). */
    LinkAddress source();

    /** Frame length in bytes. */
    int length();

    /** Receive time, {@link System#nanoTime()} base for real links. */
    long receivedNanos();

    /** The slot's buffer; the frame is at offset 0. */
    PacketBuffer buffer();

    /** Shorthand for {@code buffer().segment()}: the whole slot, not just the frame. */
    default MemorySegment segment() {
        return buffer().segment();
    }
}
