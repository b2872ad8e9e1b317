package org.clatter.core.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BytesTest {
    static final int SIZE = 64;
    static Arena arena;
    static PacketBuffer buf;

    @BeforeAll
    static void setUp() {
        arena = Arena.ofConfined();
        buf = BufferPool.allocate(arena, 1, SIZE).buffer(0);
    }

    @AfterAll
    static void tearDown() {
        arena.close();
    }

    @Test
    void u8RoundTripsAtAnyOffset() {
        qt().forAll(integers().between(0, SIZE - 1), integers().between(0, 255)).checkAssert((off, v) -> {
            buf.putU8(off, v);
            assertEquals((int) v, buf.getU8(off));
        });
    }

    @Test
    void u16RoundTripsInBothOrders() {
        qt().forAll(integers().between(0, SIZE - 2), integers().between(0, 0xFFFF)).checkAssert((off, v) -> {
            buf.putU16BE(off, v);
            assertEquals((int) v, buf.getU16BE(off));
            assertEquals(v >>> 8, buf.getU8(off), "big endian puts the high byte first");
            assertEquals(Integer.reverseBytes(v) >>> 16, buf.getU16LE(off));
            buf.putU16LE(off, v);
            assertEquals((int) v, buf.getU16LE(off));
            assertEquals(v & 0xFF, buf.getU8(off), "little endian puts the low byte first");
        });
    }

    @Test
    void u32RoundTripsInBothOrders() {
        qt().forAll(integers().between(0, SIZE - 4), longs().between(0, 0xFFFF_FFFFL)).checkAssert((off, v) -> {
            buf.putU32BE(off, v);
            assertEquals((long) v, buf.getU32BE(off));
            assertEquals((int) (v >>> 24), buf.getU8(off));
            assertEquals(Integer.toUnsignedLong(Integer.reverseBytes(v.intValue())), buf.getU32LE(off));
            buf.putU32LE(off, v);
            assertEquals((long) v, buf.getU32LE(off));
        });
    }

    @Test
    void u64RoundTripsInBothOrders() {
        qt().forAll(integers().between(0, SIZE - 8), longs().all()).checkAssert((off, v) -> {
            buf.putU64BE(off, v);
            assertEquals((long) v, buf.getU64BE(off));
            assertEquals(Long.reverseBytes(v), buf.getU64LE(off));
            assertEquals((int) (v >>> 56), buf.getU8(off));
            buf.putU64LE(off, v);
            assertEquals((long) v, buf.getU64LE(off));
        });
    }

    @Test
    void putsTruncateToTheFieldWidth() {
        buf.putU16BE(0, 0x12345);
        assertEquals(0x2345, buf.getU16BE(0));
        buf.putU32BE(0, 0x1_2345_6789L);
        assertEquals(0x2345_6789L, buf.getU32BE(0));
    }

    @Test
    void byteArrayCopiesRoundTrip() {
        qt().forAll(integers().between(0, SIZE), integers().between(0, SIZE), integers().between(0, 16))
                .checkAssert((off, maxLen, arrOff) -> {
                    int len = Math.min(maxLen, SIZE - off);
                    byte[] src = new byte[len + arrOff];
                    for (int i = 0; i < src.length; i++) {
                        src[i] = (byte) (i * 31 + off);
                    }
                    buf.copyFrom(off, src, arrOff, len);
                    byte[] back = new byte[len];
                    buf.copyTo(off, back, 0, len);
                    assertArrayEquals(java.util.Arrays.copyOfRange(src, arrOff, arrOff + len), back);
                });
    }

    @Test
    void outOfBoundsAccessSaysWhatWasWrong() {
        int[] widths = {1, 2, 4, 8};
        qt().forAll(integers().between(-100, SIZE + 100), integers().between(0, 3)).checkAssert((off, w) -> {
            int width = widths[w];
            boolean inside = off >= 0 && off + width <= SIZE;
            Runnable read = switch (width) {
                case 1 -> () -> buf.getU8(off);
                case 2 -> () -> buf.getU16BE(off);
                case 4 -> () -> buf.getU32LE(off);
                default -> () -> buf.getU64BE(off);
            };
            Runnable write = switch (width) {
                case 1 -> () -> buf.putU8(off, 1);
                case 2 -> () -> buf.putU16LE(off, 1);
                case 4 -> () -> buf.putU32BE(off, 1);
                default -> () -> buf.putU64LE(off, 1);
            };
            if (inside) {
                write.run();
                read.run();
            } else {
                var e = assertThrows(IndexOutOfBoundsException.class, read::run);
                assertTrue(e.getMessage().contains("offset " + off) && e.getMessage().contains(SIZE + " bytes"),
                        e.getMessage());
                assertThrows(IndexOutOfBoundsException.class, write::run);
            }
        });
    }

    @Test
    void badCopyRangesAreRejected() {
        byte[] a = new byte[8];
        assertThrows(IndexOutOfBoundsException.class, () -> buf.copyTo(SIZE - 4, a, 0, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> buf.copyTo(0, a, 4, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> buf.copyFrom(0, a, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> buf.copyFrom(0, a, 0, -1));
    }

    @Test
    void poolSlotsAreAlignedDistinctAndViewedOnce() {
        try (Arena a = Arena.ofConfined()) {
            BufferPool pool = BufferPool.allocate(a, 5, 1500);
            assertEquals(1536, pool.stride());
            for (int i = 0; i < pool.count(); i++) {
                PacketBuffer b = pool.buffer(i);
                assertEquals(0, b.segment().address() % BufferPool.DEFAULT_ALIGNMENT, "slot " + i + " aligned");
                assertEquals(1500, b.capacity());
                assertEquals(1500, b.byteBuffer().capacity());
                assertTrue(b.byteBuffer() == b.byteBuffer(), "the ByteBuffer view is made once");
                b.putU32BE(0, i);
            }
            for (int i = 0; i < pool.count(); i++) {
                assertEquals(i, pool.buffer(i).getU32BE(0), "slots do not overlap");
                assertEquals(i, pool.buffer(i).byteBuffer().getInt(0), "the view shares the memory");
            }
            assertNotSame(pool.buffer(0).segment(), pool.buffer(1).segment());
            assertEquals(pool.memory().get(ValueLayout.JAVA_BYTE, pool.stride() * 2 + 3), (byte) 2);
        }
        assertThrows(IllegalArgumentException.class, () -> BufferPool.allocate(Arena.ofAuto(), 1, 16, 48));
        assertThrows(IllegalArgumentException.class, () -> BufferPool.allocate(Arena.ofAuto(), 0, 16));
    }
}
