package org.clatter.mdp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Round trips of the overlay codec over generated packets; the seed is in every failure message for replay. */
class CodecPropertiesTest {

    /** A generated frame: its header and payload. */
    record GenFrame(FrameHeader header, byte[] payload) {
    }

    static int addressCode(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> AddressCodes.FULL;
            case 1 -> AddressCodes.SIGNKEY;
            case 2 -> AddressCodes.PREVIOUS;
            case 3 -> AddressCodes.SELF;
            default -> 1 + r.nextInt(31);
        };
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static GenFrame frame(Random r, int version) {
        FrameHeader h = new FrameHeader().clear();
        int flags = r.nextInt(256) & ~FrameFlyweight.F_LEGACY_TYPE & ~0x08;
        h.flags(flags);
        if ((flags & FrameFlyweight.F_SENDER_SAME) == 0) {
            h.source(addressCode(r), bytes(r, 32), 0);
        }
        if ((flags & FrameFlyweight.F_TO_BROADCAST) != 0) {
            h.broadcast(r.nextLong());
            if ((flags & FrameFlyweight.F_ONE_HOP) != 0) {
                h.broadcast(0);
            }
        } else {
            h.destination(addressCode(r), bytes(r, 32), 0);
            h.nextHop(addressCode(r), bytes(r, 32), 0);
        }
        if ((flags & FrameFlyweight.F_ONE_HOP) != 0) {
            h.ttlQos(1, 0);
        } else {
            h.ttlQos(r.nextInt(32), r.nextInt(4));
        }
        if (r.nextInt(4) == 0) {
            h.type(0x60);
        }
        h.mdpSeq(version >= 1 ? r.nextInt(256) : 0);
        return new GenFrame(h, bytes(r, r.nextInt(80)));
    }

    @Test
    void packetsRoundTrip() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            int version = r.nextInt(2);
            int encap = r.nextInt(4) == 0 ? OverlayPacketFlyweight.ENCAP_SINGLE : OverlayPacketFlyweight.ENCAP_OVERLAY;
            int senderCode = r.nextBoolean() ? AddressCodes.FULL : 1 + r.nextInt(31);
            byte[] sender = bytes(r, 32);
            boolean unicast = r.nextBoolean();
            int iface = r.nextInt(3);
            int seq = r.nextInt(300) - 44;
            seq = seq < 0 ? -1 : seq & 0xff;
            byte[] buf = new byte[1200];
            OverlayPacketWriter w = new OverlayPacketWriter().wrap(MemorySegment.ofArray(buf), 0, 1200);
            assertTrue(w.begin(version, encap, senderCode, sender, 0, unicast, iface, seq), "seed " + seed);
            List<GenFrame> frames = new ArrayList<>();
            int want = encap == OverlayPacketFlyweight.ENCAP_SINGLE ? 1 : r.nextInt(6);
            for (int i = 0; i < want; i++) {
                GenFrame f = frame(r, version);
                if (w.appendFrame(f.header(), f.payload(), 0, f.payload().length)) {
                    frames.add(f);
                }
            }
            MemorySegment seg = MemorySegment.ofArray(buf);
            OverlayPacketFlyweight p = new OverlayPacketFlyweight();
            assertEquals(DecodeResult.OK, p.wrap(seg, 0, w.length()), "seed " + seed);
            assertEquals(version, p.version());
            assertEquals(encap, p.encapsulation());
            assertEquals(unicast, p.unicast());
            assertEquals(iface, p.interfaceId());
            assertEquals(seq, p.seq());
            assertEquals(senderCode, p.senderCode());
            FrameFlyweight f = new FrameFlyweight();
            int n = 0;
            byte[] again = new byte[1200];
            OverlayPacketWriter w2 = new OverlayPacketWriter().wrap(MemorySegment.ofArray(again), 0, 1200);
            w2.begin(version, encap, senderCode, sender, 0, unicast, iface, seq);
            for (int rc = f.first(p); rc != DecodeResult.END; rc = f.next()) {
                assertEquals(DecodeResult.OK, rc, "seed " + seed);
                GenFrame g = frames.get(n++);
                assertEquals(g.header().flags(), f.flags(), "seed " + seed);
                assertEquals(g.payload().length, f.payloadLength(), "seed " + seed);
                byte[] pl = seg.asSlice(f.payloadOffset(), f.payloadLength()).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(g.payload(), pl, "seed " + seed);
                if (!f.has(FrameFlyweight.F_ONE_HOP)) {
                    assertEquals(g.header().ttl, f.ttl(), "seed " + seed);
                    assertEquals(g.header().qos, f.qos(), "seed " + seed);
                }
                assertEquals(version >= 1 ? g.header().mdpSeq : -1, f.mdpSeq(), "seed " + seed);
                assertEquals(g.header().type, f.type(), "seed " + seed);
                FrameHeader copy = new FrameHeader().clear().copyOf(f);
                assertTrue(w2.appendFrame(copy, seg, f.payloadOffset(), f.payloadLength()));
            }
            assertEquals(frames.size(), n, "seed " + seed);
            assertArrayEquals(Arrays.copyOf(buf, w.length()), Arrays.copyOf(again, w2.length()), "seed " + seed);
        });
    }

    @Test
    void aggregationStopsAtTheMtu() {
        qt().forAll(integers().between(40, 1200), longs().all()).checkAssert((mtu, seed) -> {
            Random r = new Random(seed);
            byte[] buf = new byte[1500];
            OverlayPacketWriter w = new OverlayPacketWriter().wrap(MemorySegment.ofArray(buf), 0, mtu);
            assertTrue(w.begin(1, 1, AddressCodes.FULL, bytes(r, 32), 0, true, 0, 5));
            int accepted = 0;
            for (int i = 0; i < 50; i++) {
                GenFrame f = frame(r, 1);
                int before = w.length();
                if (w.appendFrame(f.header(), f.payload(), 0, f.payload().length)) {
                    accepted++;
                } else {
                    assertEquals(before, w.length(), "a refused frame writes nothing; seed " + seed);
                }
                assertTrue(w.length() <= mtu, "seed " + seed);
            }
            OverlayPacketFlyweight p = new OverlayPacketFlyweight();
            assertEquals(DecodeResult.OK, p.wrap(MemorySegment.ofArray(buf), 0, w.length()));
            FrameFlyweight f = new FrameFlyweight();
            int n = 0;
            for (int rc = f.first(p); rc == DecodeResult.OK; rc = f.next()) {
                n++;
            }
            assertEquals(accepted, n, "seed " + seed);
            assertEquals(accepted, w.frameCount());
        });
    }

    @Test
    void portHeadersRoundTrip() {
        qt().forAll(longs().between(0, 0xffffffffL), longs().between(0, 0xffffffffL)).checkAssert((dst, src) -> {
            byte[] b = new byte[PortHeader.MAX_LENGTH];
            int n = PortHeader.write(dst, src, b, 0);
            PortHeader h = new PortHeader();
            assertEquals(DecodeResult.OK, h.read(MemorySegment.ofArray(b), 0, n));
            assertEquals((long) dst, h.dst());
            assertEquals((long) src, h.src());
            assertEquals(n, h.length());
            assertEquals(DecodeResult.TRUNCATED, h.read(MemorySegment.ofArray(b), 0, n - 1));
        });
    }

    @Test
    void linkStateRecordsRoundTrip() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            int flags = r.nextInt(64);
            int rc = addressCode(r);
            int tc = addressCode(r);
            byte[] recv = bytes(r, 32);
            byte[] tx = bytes(r, 32);
            int version = r.nextInt(256);
            int iface = r.nextInt(256);
            int ack = r.nextInt(256);
            long mask = r.nextLong() & 0xffffffffL;
            int drop = r.nextInt(256);
            byte[] b = new byte[100];
            int n = LinkStateRecordWriter.write(b, 0, flags, rc, recv, version, tc, tx, iface, ack, mask, drop);
            LinkStateRecordFlyweight f = new LinkStateRecordFlyweight();
            assertEquals(DecodeResult.OK, f.first(MemorySegment.ofArray(b), 0, n), "seed " + seed);
            assertTrue(f.exact());
            assertEquals(flags, f.flags());
            assertEquals(version, f.version());
            assertEquals((flags & LinkStateRecordFlyweight.HAS_INTERFACE) != 0 ? iface : -1, f.interfaceId());
            assertEquals((flags & LinkStateRecordFlyweight.HAS_ACK) != 0 ? ack : -1, f.ackSeq());
            assertEquals((flags & LinkStateRecordFlyweight.HAS_ACK) != 0 ? mask : 0, f.ackMask());
            assertEquals((flags & LinkStateRecordFlyweight.HAS_DROP_RATE) != 0 ? drop : -1, f.dropRate());
            assertEquals((flags & LinkStateRecordFlyweight.NO_PATH) != 0, f.transmitterOffset() < 0);
            assertEquals(DecodeResult.END, f.next());
        });
    }

    @Test
    void sequenceWindowRejectsExactlyTheDuplicates() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            SequenceWindow w = new SequenceWindow();
            int base = r.nextInt(256);
            boolean[] seen = new boolean[64];
            for (int i = 0; i < 200; i++) {
                int k = r.nextInt(48);
                boolean fresh = w.accept(base + k);
                assertEquals(!seen[k], fresh, "offset " + k + " seed " + seed);
                seen[k] = true;
            }
        });
    }

    @Test
    void broadcastIdsAreSeenOnce() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            BroadcastDedup d = new BroadcastDedup();
            long id = r.nextLong();
            assertTrue(d.firstSighting(id));
            assertFalse(d.firstSighting(id), "seed " + seed);
            int s = BroadcastDedup.slot(id);
            assertTrue(s >= 0 && s < 1024);
        });
    }
}
