package org.clatter.core.buffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One fixed-size slot of a {@link BufferPool}: its {@link MemorySegment} slice and {@link ByteBuffer} view,
 * both made once when the pool is created and reused for ever. The accessors are those of {@link Bytes},
 * bounds-checked against {@link #capacity()}.
 *
 * <p>Not thread-safe: a buffer belongs to whoever holds the ring slot it sits in.
 */
public final class PacketBuffer {
    private final MemorySegment segment;
    private final ByteBuffer byteBuffer;
    private final int index;

    PacketBuffer(MemorySegment segment, int index) {
        this.segment = segment;
        this.byteBuffer = segment.asByteBuffer();
        this.index = index;
    }

    /** The whole slot. */
    public MemorySegment segment() {
        return segment;
    }

    /** The same memory as a direct {@link ByteBuffer}; its position and limit are the caller's to manage. */
    public ByteBuffer byteBuffer() {
        return byteBuffer;
    }

    /** Cleared view (position 0, limit capacity), for a channel to read into. */
    public ByteBuffer clearedByteBuffer() {
        return byteBuffer.clear();
    }

    /** Bytes in the slot. */
    public int capacity() {
        return (int) segment.byteSize();
    }

    /** Position of this slot in its pool. */
    public int index() {
        return index;
    }

    public int getU8(long offset) {
        return Bytes.getU8(segment, offset);
    }

    public void putU8(long offset, int value) {
        Bytes.putU8(segment, offset, value);
    }

    public int getU16BE(long offset) {
        return Bytes.getU16BE(segment, offset);
    }

    public int getU16LE(long offset) {
        return Bytes.getU16LE(segment, offset);
    }

    public void putU16BE(long offset, int value) {
        Bytes.putU16BE(segment, offset, value);
    }

    public void putU16LE(long offset, int value) {
        Bytes.putU16LE(segment, offset, value);
    }

    public long getU32BE(long offset) {
        return Bytes.getU32BE(segment, offset);
    }

    public long getU32LE(long offset) {
        return Bytes.getU32LE(segment, offset);
    }

    public void putU32BE(long offset, long value) {
        Bytes.putU32BE(segment, offset, value);
    }

    public void putU32LE(long offset, long value) {
        Bytes.putU32LE(segment, offset, value);
    }

    public long getU64BE(long offset) {
        return Bytes.getU64BE(segment, offset);
    }

    public long getU64LE(long offset) {
        return Bytes.getU64LE(segment, offset);
    }

    public void putU64BE(long offset, long value) {
        Bytes.putU64BE(segment, offset, value);
    }

    public void putU64LE(long offset, long value) {
        Bytes.putU64LE(segment, offset, value);
    }

    public void copyTo(long offset, byte[] dst, int dstOffset, int length) {
        Bytes.copyTo(segment, offset, dst, dstOffset, length);
    }

    public void copyFrom(long offset, byte[] src, int srcOffset, int length) {
        Bytes.copyFrom(segment, offset, src, srcOffset, length);
    }

    /** Copies {@code length} bytes of {@code src} at {@code srcOffset} to this buffer at {@code offset}. */
    public void copyFrom(long offset, MemorySegment src, long srcOffset, long length) {
        Bytes.copy(src, srcOffset, segment, offset, length);
    }

    @Override
    public String toString() {
        return "PacketBuffer[" + index + ", " + capacity() + " bytes]";
    }
}
