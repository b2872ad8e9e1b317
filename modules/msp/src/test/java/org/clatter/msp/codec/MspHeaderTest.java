package org.clatter.msp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MspHeaderTest {

    @Test
    void capturedPacketsDecodeAsTheSpecSays() {
        // serval-wire.md §8 [verified]: A->B FIRST ack=0xFFFF seq=0 "hello MSP from Alice\n"
        byte[] hello = concat(HexFormat.of().parseHex("04ffff0000"), "hello MSP from Alice\n".getBytes());
        MspHeader h = new MspHeader();
        assertEquals(MspHeader.KIND_DATA, h.decode(hello, 0, hello.length));
        assertTrue(h.has(MspHeader.FIRST));
        assertEquals(0xFFFF, h.ack());
        assertEquals(0, h.seq());
        assertEquals("hello MSP from Alice\n", new String(hello, h.payloadOffset(), h.payloadLength()));
        // B->A SHUTDOWN|ACK ack=0 seq=0 "reply ..."
        byte[] reply = concat(HexFormat.of().parseHex("0300000000"), "reply from Bob over MSP\n".getBytes());
        assertEquals(MspHeader.KIND_DATA, h.decode(reply, 0, reply.length));
        assertTrue(h.has(MspHeader.SHUTDOWN) && h.has(MspHeader.ACK));
        assertEquals(0, h.ack());
        // little-endian: ack 0x0102 is written 02 01
        byte[] ack = {2, 2, 1};
        assertEquals(MspHeader.KIND_ACK, h.decode(ack, 0, 3));
        assertEquals(0x0102, h.ack());
        assertEquals(MspHeader.KIND_STOP, h.decode(new byte[] {8}, 0, 1));
        assertEquals(MspHeader.ERR_EMPTY, h.decode(new byte[0], 0, 0));
    }

    @Test
    void dataAckAndSackRoundTrip() {
        qt().forAll(integers().between(0, 0x0F), integers().between(0, 0xFFFF), integers().between(0, 0xFFFF),
                        integers().between(0, 1110))
                .checkAssert((flags, ack, seq, len) -> {
                    int f = flags & ~MspHeader.STOP;
                    byte[] buf = new byte[MspHeader.PREAMBLE + len];
                    Arrays.fill(buf, MspHeader.PREAMBLE, buf.length, (byte) 0x5A);
                    MspHeader.writeDataHeader(buf, 0, f, ack, seq);
                    MspHeader h = new MspHeader();
                    assertEquals(MspHeader.KIND_DATA, h.decode(buf, 0, buf.length));
                    assertEquals(f, h.flags());
                    assertEquals((int) ack, h.ack());
                    assertEquals((int) seq, h.seq());
                    assertEquals((int) len, h.payloadLength());
                    byte[] a = new byte[3];
                    MspHeader.writeAck(a, 0, f, ack);
                    assertEquals(MspHeader.KIND_ACK, h.decode(a, 0, 3));
                    assertEquals((int) ack, h.ack());
                });
        qt().forAll(integers().between(0, 0xFFFF), lists().of(integers().between(0, 0xFFFF)).ofSizeBetween(0, 32))
                .checkAssert((ack, seqs) -> {
                    int n = Math.min(seqs.size() / 2, MspHeader.MAX_SACK_RANGES);
                    int[] first = new int[n];
                    int[] last = new int[n];
                    for (int i = 0; i < n; i++) {
                        first[i] = seqs.get(2 * i);
                        last[i] = seqs.get(2 * i + 1);
                    }
                    byte[] buf = new byte[4 + 4 * n];
                    int len = MspHeader.writeSack(buf, 0, MspHeader.ACK, ack, n, first, last);
                    MspHeader h = new MspHeader();
                    assertEquals(MspHeader.KIND_SACK, h.decode(buf, 0, len));
                    assertEquals((int) ack, h.ack());
                    assertEquals(n, h.sackCount());
                    for (int i = 0; i < n; i++) {
                        assertEquals(first[i], h.sackFirst(i));
                        assertEquals(last[i], h.sackLast(i));
                    }
                });
    }

    @Test
    void arbitraryAndMutatedInputNeverThrowsAndIsClassifiedLikeServald() {
        qt().withExamples(3000).forAll(longs().all(), integers().between(0, 1200), integers().between(0, 8))
                .checkAssert((seed, len, mutations) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    byte[] buf = new byte[len + 4];
                    if (r.nextBoolean() && len >= 5) {
                        MspHeader.writeDataHeader(buf, 2, r.nextInt(16), r.nextInt(65536), r.nextInt(65536));
                    } else {
                        r.nextBytes(buf);
                    }
                    for (int i = 0; i < mutations && len > 0; i++) {
                        buf[2 + r.nextInt(len)] ^= (byte) (1 << r.nextInt(8));
                    }
                    MspHeader h = new MspHeader();
                    int kind = h.decode(buf, 2, len);
                    int flags = len == 0 ? 0 : buf[2] & 0xFF;
                    if (len == 0) {
                        assertEquals(MspHeader.ERR_EMPTY, kind);
                    } else if ((flags & MspHeader.STOP) != 0) {
                        assertEquals(MspHeader.KIND_STOP, kind);
                    } else if (len < 3) {
                        assertEquals(MspHeader.KIND_EMPTY, kind);
                    } else if ((flags & 0x60) == 0x60) {
                        assertTrue(kind == MspHeader.KIND_SACK || kind == MspHeader.ERR_SACK_LENGTH, "kind " + kind);
                    } else if (len < 5) {
                        assertEquals(MspHeader.KIND_ACK, kind);
                    } else {
                        assertEquals(MspHeader.KIND_DATA, kind);
                        assertEquals(len - 5, h.payloadLength());
                    }
                    // Out-of-range arguments are a result code too.
                    assertEquals(MspHeader.ERR_BOUNDS, h.decode(buf, buf.length, 1));
                    assertEquals(MspHeader.ERR_BOUNDS, h.decode(buf, -1, 1));
                    assertEquals(MspHeader.ERR_BOUNDS, h.decode(null, 0, 0));
                });
    }

    @Test
    void sequenceComparisonWrapsAt16Bits() {
        qt().forAll(integers().between(0, 0xFFFF), integers().between(1, 0x7FFF)).checkAssert((a, d) -> {
            int b = (a + d) & 0xFFFF;
            assertTrue(MspHeader.compareSeq(a, b) < 0);
            assertTrue(MspHeader.compareSeq(b, a) > 0);
            assertEquals(0, MspHeader.compareSeq(a, a));
        });
    }

    @Test
    void stopAckCarriesTheFinalAck() {
        byte[] b = new byte[3];
        assertEquals(3, MspHeader.writeStopAck(b, 0, 0x1234));
        assertArrayEquals(new byte[] {0x0A, 0x34, 0x12}, b);
        MspHeader h = new MspHeader();
        assertEquals(MspHeader.KIND_STOP, h.decode(b, 0, 3));
        assertEquals(0x1234, h.ack());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
