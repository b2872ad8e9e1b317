package org.clatter.core.buffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/**
 * One reusable {@link FrameSlot} over a heap array, for a sink that handles each frame before it claims the next
 * (a simulated link's delivery, a node that copies or decodes frames on the link's thread): the link fills it,
 * {@link #received} records the source and length, the sink reads them, then {@link #clear}s the slot.
 */
public final class ArraySlot implements FrameSlot {
    private final byte[] bytes;
    private final MemorySegment segment;
    private final ByteBuffer buffer;
    private LinkAddress source;
    private int length = -1;

    /** A slot of {@code capacity} bytes. */
    public ArraySlot(int capacity) {
        this.bytes = new byte[capacity];
        this.segment = MemorySegment.ofArray(bytes);
        this.buffer = ByteBuffer.wrap(bytes);
    }

    /** Empties the slot for the next frame (also rewinds its {@link #byteBuffer}). */
    public ArraySlot clear() {
        length = -1;
        buffer.clear();
        return this;
    }

    /** Whether a frame was received since the last {@link #clear}. */
    public boolean full() {
        return length >= 0;
    }

    /** The received frame's length; -1 when the slot is empty. */
    public int length() {
        return length;
    }

    /** The received frame's source. */
    public LinkAddress source() {
        if (length < 0) {
            throw new IllegalStateException("the slot holds no frame; check full() first");
        }
        return source;
    }

    /** The slot's array (the frame is its first {@link #length} bytes). */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public ByteBuffer byteBuffer() {
        return buffer;
    }

    @Override
    public int capacity() {
        return bytes.length;
    }

    @Override
    public void received(Link link, LinkAddress src, int len, long receivedNanos) {
        source = src;
        length = len;
    }

    @Override
    public void discard() {
        length = -1;
    }
}
