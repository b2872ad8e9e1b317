package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clatter.mdp.Identity;
import org.clatter.mdp.Sid;
import org.clatter.mdp.TestCrypto;
import org.clatter.mdp.codec.AddressCodes;
import org.clatter.mdp.codec.DecodeResult;
import org.clatter.mdp.codec.FrameFlyweight;
import org.clatter.mdp.codec.FrameHeader;
import org.clatter.mdp.codec.FrameSecurity;
import org.clatter.mdp.codec.LinkStateRecordFlyweight;
import org.clatter.mdp.codec.LinkStateRecordWriter;
import org.clatter.mdp.codec.OverlayPacketFlyweight;
import org.clatter.mdp.codec.OverlayPacketWriter;
import org.clatter.mdp.codec.PortHeader;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.routing.Reachability;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.transport.sim.SimAddress;
import org.junit.jupiter.api.Test;

/**
 * Regressions for the interop bugs found against a live servald (029adc17) on loopback UDP: each test feeds the
 * engine packets shaped exactly as servald sends them and checks what the engine answers.
 */
class ServaldInteropRegressionTest {
    private static final long MS = 1_000_000L;
    private final Crypto crypto = TestCrypto.get();
    private final Identity us = Identity.fromSeed(crypto, seed(1), new byte[0], "", "clatter");
    private final Identity servald = Identity.fromSeed(crypto, seed(2), new byte[0], "", "servald");
    private final Identity other = Identity.fromSeed(crypto, seed(3), new byte[0], "", "other");
    private final LinkAddress servaldAddress = SimAddress.of("servald");

    private static byte[] seed(int n) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) n);
        return s;
    }

    /** Captures everything the engine sends. */
    private static final class Capture implements MeshEngine.Output {
        final List<byte[]> packets = new ArrayList<>();

        @Override
        public void unicast(int iface, LinkAddress to, MemorySegment packet, long offset, int length) {
            packets.add(packet.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public void broadcast(int iface, MemorySegment packet, long offset, int length) {
            packets.add(packet.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        }

        /** Payloads of every frame of the given legacy type sent so far. */
        List<byte[]> framesOfType(int type) {
            List<byte[]> out = new ArrayList<>();
            OverlayPacketFlyweight p = new OverlayPacketFlyweight();
            FrameFlyweight f = new FrameFlyweight();
            for (byte[] b : packets) {
                assertEquals(DecodeResult.OK, p.wrap(MemorySegment.ofArray(b), 0, b.length));
                for (int r = f.first(p); r == DecodeResult.OK; r = f.next()) {
                    if (f.type() == type) {
                        out.add(f.segment().asSlice(f.payloadOffset(), f.payloadLength()).toArray(ValueLayout.JAVA_BYTE));
                    }
                }
            }
            return out;
        }
    }

    private static byte[] packet(int version, int senderCode, byte[] sender, boolean unicast, FrameHeader h,
                                 byte[] payload) {
        byte[] buf = new byte[1200];
        OverlayPacketWriter w = new OverlayPacketWriter().wrap(MemorySegment.ofArray(buf), 0, buf.length);
        assertTrue(w.begin(version, OverlayPacketFlyweight.ENCAP_OVERLAY, senderCode, sender, 0, unicast, 0, -1));
        if (h != null) {
            assertTrue(w.appendFrame(h, payload, 0, payload.length));
        }
        return Arrays.copyOf(buf, w.length());
    }

    private void feed(MeshEngine e, byte[] p, long now) {
        e.receive(0, servaldAddress, MemorySegment.ofArray(p), 0, p.length, now);
    }

    @Test
    void anAbbreviatedSenderIsAskedToExplainAndResolvesAfterTheAnswer() {
        MeshEngine e = new MeshEngine(crypto, us, 1, (a, b, c, d, s, data, n) -> { });
        e.addInterface(true);
        Capture out = new Capture();
        e.poll(0, out);
        byte[] prefix = Arrays.copyOf(other.sid().toBytes(), 2);
        // servald's tick once it believes we know it: v0, 2-byte sender abbreviation, no frames.
        feed(e, packet(0, 2, prefix, false, null, null), 10 * MS);
        assertEquals(1L, e.counters().get(DecodeResult.UNRESOLVED_ADDRESS));
        out.packets.clear();
        e.poll(11 * MS, out);
        List<byte[]> asks = out.framesOfType(FrameFlyweight.TYPE_PLEASE_EXPLAIN);
        assertEquals(1, asks.size(), "one please-explain request");
        assertArrayEquals(new byte[] {2, prefix[0], prefix[1]}, asks.get(0));
        // Asked at most once per 500 ms per prefix.
        feed(e, packet(0, 2, prefix, false, null, null), 20 * MS);
        out.packets.clear();
        e.poll(21 * MS, out);
        assertEquals(0, out.framesOfType(FrameFlyweight.TYPE_PLEASE_EXPLAIN).size());
        // servald (full sender) explains the SID: 0x20 || SID.
        FrameHeader h = new FrameHeader().clear();
        h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_ONE_HOP);
        h.destination(AddressCodes.FULL, us.sid().toBytes(), 0);
        h.type(FrameFlyweight.TYPE_PLEASE_EXPLAIN);
        h.ttlQos(1, 0);
        byte[] answer = new byte[33];
        answer[0] = AddressCodes.FULL;
        other.sid().copyTo(answer, 1);
        h.mdpSeq(1);
        feed(e, packet(1, AddressCodes.FULL, servald.sid().toBytes(), true, h, answer), 30 * MS);
        assertEquals(1L, e.event("explained_to_us"));
        long before = e.event("neighbour_new");
        long unresolved = e.counters().get(DecodeResult.UNRESOLVED_ADDRESS);
        feed(e, packet(0, 2, prefix, false, null, null), 40 * MS);
        assertEquals(unresolved, e.counters().get(DecodeResult.UNRESOLVED_ADDRESS), "the abbreviation now resolves");
        assertEquals(before + 1, e.event("neighbour_new"));
    }

    @Test
    void aPleaseExplainForOurAbbreviationIsAnsweredWithOurFullSid() {
        MeshEngine e = new MeshEngine(crypto, us, 1, (a, b, c, d, s, data, n) -> { });
        e.addInterface(true);
        Capture out = new Capture();
        e.poll(0, out);
        FrameHeader h = new FrameHeader().clear();
        h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_TO_BROADCAST | FrameFlyweight.F_ONE_HOP);
        h.type(FrameFlyweight.TYPE_PLEASE_EXPLAIN);
        h.ttlQos(1, 0);
        h.mdpSeq(7);
        byte[] ask = {3, us.sid().byteAt(0), us.sid().byteAt(1), us.sid().byteAt(2), (byte) AddressCodes.P2P_YOU};
        feed(e, packet(1, AddressCodes.FULL, servald.sid().toBytes(), false, h, ask), 10 * MS);
        out.packets.clear();
        e.poll(11 * MS, out);
        List<byte[]> answers = out.framesOfType(FrameFlyweight.TYPE_PLEASE_EXPLAIN);
        assertEquals(1, answers.size());
        byte[] expected = new byte[33];
        expected[0] = AddressCodes.FULL;
        us.sid().copyTo(expected, 1);
        assertArrayEquals(expected, answers.get(0), "our SID, once (the explicit and the 0xFD entry coalesce)");
    }

    @Test
    void aNeighbourRecordFlaggedUnicastStillMeansTheNeighbourHearsUs() {
        MeshEngine e = new MeshEngine(crypto, us, 1, (a, b, c, d, s, data, n) -> { });
        e.addInterface(true);
        Capture out = new Capture();
        int seq = 0;
        for (long t = 0; t < 10_000 * MS; t += 500 * MS) {
            e.poll(t, out);
            // servald's neighbour record once its best link to us is unicast: receiver = itself, transmitter = us,
            // HAS_INTERFACE | UNICAST | HAS_ACK, no drop rate.
            byte[] body = new byte[100];
            int p = PortHeader.write(MeshEngine.PORT_LINKSTATE, MeshEngine.PORT_LINKSTATE, body, 0);
            p += LinkStateRecordWriter.write(body, p, LinkStateRecordFlyweight.HAS_INTERFACE
                            | LinkStateRecordFlyweight.UNICAST | LinkStateRecordFlyweight.HAS_ACK, AddressCodes.SELF,
                    servald.sid().toBytes(), 1, AddressCodes.FULL, us.sid().toBytes(), 0, 0, 0, 0);
            FrameHeader h = new FrameHeader().clear();
            h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_ONE_HOP);
            h.destination(AddressCodes.FULL, us.sid().toBytes(), 0);
            h.ttlQos(1, 1);
            h.mdpSeq(seq++);
            feed(e, packet(1, AddressCodes.FULL, servald.sid().toBytes(), true, h, Arrays.copyOf(body, p)), t + MS);
            if (t >= 2000 * MS) {
                assertEquals(Reachability.UNICAST, e.reachability(servald.sid()), "at " + t / MS + " ms");
            }
        }
        assertEquals(0L, e.event("neighbour_deaf"));
        assertEquals(0L, e.counters().errors());
    }

    @Test
    void aKeymapRequestIsAnsweredWithOurSigningIdSignedOverOurSid() {
        SimMesh m = new SimMesh(7);
        List<String> n = m.net.line(2);
        m.start().run(5_000 * MS);
        SimMesh.Node a = m.node(n.get(0));
        SimMesh.Node b = m.node(n.get(1));
        // servald's request: crypted, port 1, the single byte 0x02.
        assertTrue(a.engine.send(b.sid(), MeshEngine.PORT_KEYMAP, 0x2345, new byte[] {2}, 0, 1, m.now()));
        m.run(1_000 * MS);
        List<SimMesh.Received> replies = a.received.stream().filter(r -> r.dstPort() == 0x2345).toList();
        assertEquals(1, replies.size());
        SimMesh.Received r = replies.get(0);
        assertEquals(b.sid(), r.from());
        assertEquals((long) MeshEngine.PORT_KEYMAP, r.srcPort());
        assertEquals(MeshEngine.Security.CRYPTED, r.security());
        assertEquals(97, r.data().length);
        assertEquals(2, r.data()[0]);
        assertArrayEquals(b.engine.identity().signingId(), Arrays.copyOfRange(r.data(), 1, 33));
        assertTrue(crypto.ed25519Verify(r.data(), 1, b.sid().toBytes(), 0, 32, r.data(), 33),
                "the signature is over the raw 32-byte SID");
        assertEquals(1L, b.engine.event("keymap_answered"));
    }

    @Test
    void aTraceTravelsToTheDestinationAndBackCollectingEveryHop() {
        SimMesh m = new SimMesh(11);
        List<String> n = m.net.line(3);
        m.start().run(10_000 * MS);
        SimMesh.Node a = m.node(n.get(0));
        SimMesh.Node b = m.node(n.get(1));
        SimMesh.Node c = m.node(n.get(2));
        // servald's `mdp trace`: src, dst, then the hops so far (the originator itself), to the next hop's port 8.
        byte[] req = new byte[99];
        for (int i = 0; i < 3; i++) {
            req[33 * i] = (byte) AddressCodes.FULL;
            (i == 1 ? c : a).sid().copyTo(req, 33 * i + 1);
        }
        assertTrue(a.engine.send(b.sid(), MeshEngine.PORT_TRACE, 258, req, 0, req.length, m.now()));
        m.run(2_000 * MS);
        List<SimMesh.Received> back = a.received.stream().filter(r -> r.dstPort() == 258).toList();
        assertEquals(1, back.size(), "the trace came back once");
        byte[] list = back.get(0).data();
        List<Sid> expected = List.of(a.sid(), c.sid(), a.sid(), b.sid(), c.sid(), b.sid());
        assertEquals(33 * expected.size(), list.length);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(AddressCodes.FULL, list[33 * i] & 0xff);
            assertEquals(expected.get(i), Sid.of(Arrays.copyOfRange(list, 33 * i + 1, 33 * i + 33)), "entry " + i);
        }
        assertEquals((long) MeshEngine.PORT_TRACE, back.get(0).srcPort());
    }

    @Test
    void aBurstOfUnicastPacketsIsAcknowledgedAtOnceNotAfterTheAckDelay() {
        // Found by the ping benchmark: at ~1,000 unicast packets/s the 20 ms ack delay let more packets wait than the
        // 32 an ack mask covers, so acked frames were resent (and, with their 8-bit seq wrapped, poisoned the
        // receiver's duplicate window). Now a node acknowledges at once when 16 packets wait.
        MeshEngine e = new MeshEngine(crypto, us, 1, (a, b, c, d, s, data, n) -> { });
        e.addInterface(true);
        Capture out = new Capture();
        e.poll(0, out);
        long t = 100 * MS;
        byte[] body = new byte[12];
        int p = PortHeader.write(9999, 9999, body, 0);
        for (int i = 0; i < 15; i++) {
            FrameHeader h = new FrameHeader().clear();
            h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_ONE_HOP | FrameFlyweight.F_ACK_SOON);
            h.destination(AddressCodes.FULL, us.sid().toBytes(), 0);
            h.mdpSeq(i);
            byte[] buf = new byte[1200];
            OverlayPacketWriter w = new OverlayPacketWriter().wrap(MemorySegment.ofArray(buf), 0, buf.length);
            w.begin(1, OverlayPacketFlyweight.ENCAP_OVERLAY, AddressCodes.FULL, servald.sid().toBytes(), 0, true, 0, i);
            w.appendFrame(h, body, 0, p + 2);
            feed(e, Arrays.copyOf(buf, w.length()), t);
            if (i == 0 || i == 14) {
                out.packets.clear();
                e.poll(t, out);
                assertEquals(0L, unicastPackets(out), "packet " + i + ": the ack waits for the delay");
            }
        }
        FrameHeader h = new FrameHeader().clear();
        h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_ONE_HOP | FrameFlyweight.F_ACK_SOON);
        h.destination(AddressCodes.FULL, us.sid().toBytes(), 0);
        h.mdpSeq(15);
        byte[] buf = new byte[1200];
        OverlayPacketWriter w = new OverlayPacketWriter().wrap(MemorySegment.ofArray(buf), 0, buf.length);
        w.begin(1, OverlayPacketFlyweight.ENCAP_OVERLAY, AddressCodes.FULL, servald.sid().toBytes(), 0, true, 0, 15);
        w.appendFrame(h, body, 0, p + 2);
        feed(e, Arrays.copyOf(buf, w.length()), t);
        out.packets.clear();
        e.poll(t, out);
        assertEquals(1L, unicastPackets(out), "the 16th waiting packet is acknowledged at once");
    }

    private static long unicastPackets(Capture out) {
        OverlayPacketFlyweight p = new OverlayPacketFlyweight();
        return out.packets.stream().filter(b -> p.wrap(MemorySegment.ofArray(b), 0, b.length) == DecodeResult.OK
                && p.unicast()).count();
    }

    @Test
    void aSignedFrameFromAnUnknownKeyTriggersAKeymapRequestAndTheNextOneVerifies() {
        // Found live: `servald mdp ping broadcast` signs a frame whose source is E's plain SID (SENDER_SAME), so a node
        // that never saw E's Signing ID must ask for it on port 1, as servald does, or it never answers E.
        SimMesh m = new SimMesh(17);
        List<String> n = m.net.line(2);
        m.start().run(5_000 * MS);
        SimMesh.Node a = m.node(n.get(0));
        SimMesh.Node b = m.node(n.get(1));
        assertEquals(Reachability.UNICAST, b.engine.reachability(a.sid()));
        FrameSecurity sec = new FrameSecurity(crypto);
        Identity ida = a.engine.identity();
        for (int i = 0; i < 2; i++) {
            byte[] body = new byte[100];
            int p = PortHeader.write(9000, 9001, body, 0);
            body[p++] = (byte) i;
            byte[] signed = new byte[200];
            int len = sec.sign(ida.seed(), ida.signingId(), body, 0, p, signed, 0);
            FrameHeader h = new FrameHeader().clear();
            h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_SIGNED);
            h.broadcast(0x1234_5678_0000L + i);
            h.ttlQos(1, 3);
            byte[] pkt = packet(0, AddressCodes.FULL, a.sid().toBytes(), false, h, Arrays.copyOf(signed, len));
            b.engine.receive(0, SimAddress.of(n.get(0)), MemorySegment.ofArray(pkt), 0, pkt.length, m.now());
            m.run(1_000 * MS);
            if (i == 0) {
                assertEquals(1L, b.engine.counters().get(DecodeResult.UNKNOWN_KEY));
                assertEquals(1L, b.engine.event("keymap_requested"));
                assertEquals(1L, b.engine.event("keymap_learnt"), "A answered with its key");
            }
        }
        List<SimMesh.Received> got = b.received.stream().filter(r -> r.dstPort() == 9000).toList();
        assertEquals(1, got.size(), "the second frame verifies and is delivered");
        assertEquals(MeshEngine.Security.SIGNED, got.get(0).security());
        assertEquals(a.sid(), got.get(0).from());
        assertEquals(1L, b.engine.counters().get(DecodeResult.UNKNOWN_KEY));
    }

    @Test
    void aNeighbourWhoseUnicastPacketsWeHearGetsAUnicastRecordEveryTick() {
        // Found live: servald listed the Clatter node as BROADCAST, never UNICAST. servald opens a unicast path to a
        // neighbour only when the neighbour's link-state says it hears servald's unicast packets (flag UNICAST).
        MeshEngine e = new MeshEngine(crypto, us, 1, (a, b, c, d, s, data, n) -> { });
        e.addInterface(true);
        Capture out = new Capture();
        e.poll(0, out);
        feed(e, packet(0, AddressCodes.FULL, servald.sid().toBytes(), false, null, null), 10 * MS);
        out.packets.clear();
        e.poll(1_000 * MS, out);
        assertEquals(0, unicastRecordsAbout(out, servald.sid()), "only broadcast heard so far");
        feed(e, packet(0, AddressCodes.FULL, servald.sid().toBytes(), true, null, null), 1_010 * MS);
        out.packets.clear();
        e.poll(2_000 * MS, out);
        assertEquals(1, unicastRecordsAbout(out, servald.sid()), "a UNICAST record naming servald as transmitter");
    }

    private int unicastRecordsAbout(Capture out, Sid transmitter) {
        int found = 0;
        PortHeader ports = new PortHeader();
        LinkStateRecordFlyweight rec = new LinkStateRecordFlyweight();
        for (byte[] payload : out.framesOfType(FrameFlyweight.TYPE_DATA)) {
            MemorySegment seg = MemorySegment.ofArray(payload);
            if (ports.read(seg, 0, payload.length) != DecodeResult.OK || ports.dst() != MeshEngine.PORT_LINKSTATE) {
                continue;
            }
            for (int r = rec.first(seg, ports.length(), payload.length); r == DecodeResult.OK; r = rec.next()) {
                long t = rec.transmitterOffset();
                if (rec.has(LinkStateRecordFlyweight.UNICAST) && t >= 0
                        && (seg.get(ValueLayout.JAVA_BYTE, t) & 0xff) == AddressCodes.FULL
                        && transmitter.equals(Sid.of(seg.asSlice(t + 1, 32).toArray(ValueLayout.JAVA_BYTE)))) {
                    found++;
                }
            }
        }
        return found;
    }
}
