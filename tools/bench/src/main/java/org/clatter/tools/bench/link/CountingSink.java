package org.clatter.tools.bench.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/**
 * A sink that counts frames on the link's own thread, in one reused native slot (as the pipeline's inbound slots
 * are native): the transport alone, no ring hop. Subclasses look at each frame in {@link #onFrame}.
 */
public class CountingSink implements FrameSink, FrameSlot {
    private final MemorySegment memory;
    private final ByteBuffer buffer;
    private final AtomicLong frames = new AtomicLong();

    /** A sink whose slot holds {@code capacity} bytes. */
    public CountingSink(int capacity) {
        this.memory = Arena.ofAuto().allocate(capacity, 8);
        this.buffer = memory.asByteBuffer();
    }

    /** Frames received so far. */
    public final long frames() {
        return frames.get();
    }

    /** Called on the link's thread for each frame, before it is counted; the frame is {@code memory[0, length)}. */
    protected void onFrame(MemorySegment memory, int length) {
    }

    @Override
    public final FrameSlot claim() {
        buffer.clear();
        return this;
    }

    @Override
    public final void publish(FrameSlot slot) {
    }

    @Override
    public final MemorySegment segment() {
        return memory;
    }

    @Override
    public final ByteBuffer byteBuffer() {
        return buffer;
    }

    @Override
    public final int capacity() {
        return (int) memory.byteSize();
    }

    @Override
    public final void received(Link link, LinkAddress source, int length, long receivedNanos) {
        onFrame(memory, length);
        frames.incrementAndGet();
    }

    @Override
    public final void discard() {
    }
}
