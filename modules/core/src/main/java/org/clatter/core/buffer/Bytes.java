package org.clatter.core.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Unsigned big- and little-endian accessors on any {@link MemorySegment}, the primitives protocol flyweights
 * are written with. Every access is bounds-checked against the segment and a violation is an
 * {@link IndexOutOfBoundsException} that names the access, the offset and the segment size. Values wider than
 * their unsigned range are truncated on {@code put} (a u16 put of {@code 0x12345} stores {@code 0x2345}).
 *
 * <p>Layouts are unaligned with an explicit byte order, so results never depend on the platform's order or
 * on where a field falls inside a packet.
 */
public final class Bytes {
    static final ValueLayout.OfShort U16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort U16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    /** Throws a readable {@link IndexOutOfBoundsException} unless {@code [offset, offset+size)} is inside {@code s}. */
    public static void checkBounds(MemorySegment s, long offset, long size, String what) {
        long cap = s.byteSize();
        if (offset < 0 || size < 0 || offset > cap - size) {
            throw new IndexOutOfBoundsException(what + " of " + size + " bytes at offset " + offset
                    + " is outside the buffer of " + cap + " bytes; check the length field that led here");
        }
    }

    public static int getU8(MemorySegment s, long offset) {
        checkBounds(s, offset, 1, "u8 read");
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, offset));
    }

    public static void putU8(MemorySegment s, long offset, int value) {
        checkBounds(s, offset, 1, "u8 write");
        s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    public static int getU16BE(MemorySegment s, long offset) {
        checkBounds(s, offset, 2, "u16 read");
        return Short.toUnsignedInt(s.get(U16_BE, offset));
    }

    public static int getU16LE(MemorySegment s, long offset) {
        checkBounds(s, offset, 2, "u16 read");
        return Short.toUnsignedInt(s.get(U16_LE, offset));
    }

    public static void putU16BE(MemorySegment s, long offset, int value) {
        checkBounds(s, offset, 2, "u16 write");
        s.set(U16_BE, offset, (short) value);
    }

    public static void putU16LE(MemorySegment s, long offset, int value) {
        checkBounds(s, offset, 2, "u16 write");
        s.set(U16_LE, offset, (short) value);
    }

    public static long getU32BE(MemorySegment s, long offset) {
        checkBounds(s, offset, 4, "u32 read");
        return Integer.toUnsignedLong(s.get(U32_BE, offset));
    }

    public static long getU32LE(MemorySegment s, long offset) {
        checkBounds(s, offset, 4, "u32 read");
        return Integer.toUnsignedLong(s.get(U32_LE, offset));
    }

    public static void putU32BE(MemorySegment s, long offset, long value) {
        checkBounds(s, offset, 4, "u32 write");
        s.set(U32_BE, offset, (int) value);
    }

    public static void putU32LE(MemorySegment s, long offset, long value) {
        checkBounds(s, offset, 4, "u32 write");
        s.set(U32_LE, offset, (int) value);
    }

    /** A u64 as Java's two's-complement {@code long}; compare with {@link Long#compareUnsigned}. */
    public static long getU64BE(MemorySegment s, long offset) {
        checkBounds(s, offset, 8, "u64 read");
        return s.get(U64_BE, offset);
    }

    public static long getU64LE(MemorySegment s, long offset) {
        checkBounds(s, offset, 8, "u64 read");
        return s.get(U64_LE, offset);
    }

    public static void putU64BE(MemorySegment s, long offset, long value) {
        checkBounds(s, offset, 8, "u64 write");
        s.set(U64_BE, offset, value);
    }

    public static void putU64LE(MemorySegment s, long offset, long value) {
        checkBounds(s, offset, 8, "u64 write");
        s.set(U64_LE, offset, value);
    }

    /** Copies {@code length} bytes of {@code s} at {@code offset} into {@code dst[dstOffset...]}. */
    public static void copyTo(MemorySegment s, long offset, byte[] dst, int dstOffset, int length) {
        checkBounds(s, offset, length, "copy out");
        checkArray(dst, dstOffset, length, "copy out");
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
    }

    /** Copies {@code src[srcOffset...srcOffset+length)} into {@code s} at {@code offset}. */
    public static void copyFrom(MemorySegment s, long offset, byte[] src, int srcOffset, int length) {
        checkBounds(s, offset, length, "copy in");
        checkArray(src, srcOffset, length, "copy in");
        MemorySegment.copy(src, srcOffset, s, ValueLayout.JAVA_BYTE, offset, length);
    }

    /** Copies between segments (overlap is handled as by {@code memmove}). */
    public static void copy(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long length) {
        checkBounds(src, srcOffset, length, "copy from segment");
        checkBounds(dst, dstOffset, length, "copy to segment");
        MemorySegment.copy(src, srcOffset, dst, dstOffset, length);
    }

    private static void checkArray(byte[] a, int offset, int length, String what) {
        if (offset < 0 || length < 0 || offset > a.length - length) {
            throw new IndexOutOfBoundsException(what + " of " + length + " bytes at array offset " + offset
                    + " is outside the array of " + a.length + " bytes");
        }
    }
}
