package org.clatter.spi.transport;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One preallocated receive buffer, reused for ever: a link writes a frame into {@link #segment()} (or the
 * same memory through {@link #byteBuffer()}) and records where it came from with {@link #received}.
 * The memory is valid only between {@link FrameSink#claim()} and {@link FrameSink#publish}.
 */
public interface FrameSlot {

    /** The whole buffer, {@link #capacity()} bytes. */
    MemorySegment segment();

    /**
     * The same memory as a {@link ByteBuffer}, cleared (position 0, limit capacity) at every claim, for
     * NIO channels to read into directly.
     */
    ByteBuffer byteBuffer();

    /** Bytes available for one frame. */
    int capacity();

    /**
     * Records a frame of {@code length} bytes at offset 0.
     *
     * @param link          the link it arrived on
     * @param source        the sender's link-layer address
     * @param length        the frame length, at most {@link #capacity()}
     * @param receivedNanos the receive time on the pipeline's clock ({@code System.nanoTime()} base for
     *                      real transports, virtual time for the simulated network)
     */
    void received(Link link, LinkAddress source, int length, long receivedNanos);

    /** Marks the slot as holding no frame; consumers skip it. */
    void discard();
}
