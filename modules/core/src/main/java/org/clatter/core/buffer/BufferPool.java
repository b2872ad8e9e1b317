package org.clatter.core.buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A fixed set of equally sized packet buffers carved out of a single {@link Arena} allocation at start-up.
 * Slot {@code i} starts at {@code i * stride}, where the stride is the slot size rounded up to the
 * alignment, so every slot starts aligned (64 bytes by default: one cache line, no false sharing between
 * neighbours written by different threads).
 *
 * <p>The pool does not hand buffers out and take them back: the rings own their slots' buffers by index,
 * which is what keeps the data path free of allocation and of free-list contention.
 */
public final class BufferPool {
    /** The default slot alignment: a cache line. */
    public static final long DEFAULT_ALIGNMENT = 64;

    private final MemorySegment memory;
    private final PacketBuffer[] buffers;
    private final int slotSize;
    private final long stride;

    private BufferPool(MemorySegment memory, int count, int slotSize, long stride) {
        this.memory = memory;
        this.slotSize = slotSize;
        this.stride = stride;
        this.buffers = new PacketBuffer[count];
        for (int i = 0; i < count; i++) {
            buffers[i] = new PacketBuffer(memory.asSlice(i * stride, slotSize), i);
        }
    }

    /**
     * Allocates {@code count} buffers of {@code slotSize} bytes, each aligned to {@code alignment} (a power of
     * two), from {@code arena}; the buffers live as long as the arena.
     *
     * @throws IllegalArgumentException if a size is not positive or the alignment is not a power of two
     */
    public static BufferPool allocate(Arena arena, int count, int slotSize, long alignment) {
        if (count <= 0 || slotSize <= 0) {
            throw new IllegalArgumentException("a buffer pool needs a positive count and slot size, got "
                    + count + " x " + slotSize);
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        }
        long stride = (slotSize + alignment - 1) & -alignment;
        MemorySegment memory = arena.allocate(Math.multiplyExact(stride, (long) count), alignment);
        return new BufferPool(memory, count, slotSize, stride);
    }

    /** {@link #allocate(Arena, int, int, long)} with cache-line alignment. */
    public static BufferPool allocate(Arena arena, int count, int slotSize) {
        return allocate(arena, count, slotSize, DEFAULT_ALIGNMENT);
    }

    /** Buffer {@code i}, {@code 0 <= i < count()}. */
    public PacketBuffer buffer(int i) {
        return buffers[i];
    }

    public int count() {
        return buffers.length;
    }

    public int slotSize() {
        return slotSize;
    }

    /** Distance between the starts of neighbouring slots. */
    public long stride() {
        return stride;
    }

    /** The single allocation behind every slot. */
    public MemorySegment memory() {
        return memory;
    }
}
