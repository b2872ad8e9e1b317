package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.clatter.spi.routing.NodeId;
import org.clatter.spi.routing.Reachability;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.Test;

/** MeshEngines converging, routing, pinging and flooding on the simulated network. */
class MeshEngineSimTest {
    static final long S = 1_000_000_000L;
    static final long SEED = Long.getLong("mdp.seed", 20261122L);

    static byte[] ping(int seq, long nanos) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(seq).putLong(nanos / 1_000_000).array();
    }

    @Test
    void lineOfFiveConvergesAndPingsEndToEnd() {
        SimMesh m = new SimMesh(SEED);
        List<String> n = m.net.line(5);
        m.start().run(15 * S);
        for (String a : n) {
            for (String b : n) {
                if (!a.equals(b)) {
                    Reachability r = m.node(a).engine.reachability(m.node(b).sid());
                    int dist = Math.abs(n.indexOf(a) - n.indexOf(b));
                    assertEquals(dist == 1 ? Reachability.UNICAST : Reachability.INDIRECT, r,
                            a + " -> " + b + " seed " + SEED);
                }
            }
        }
        SimMesh.Node first = m.node(n.get(0));
        SimMesh.Node last = m.node(n.get(4));
        NodeId hop = first.engine.router().nextHop(last.sid().toNodeId()).orElseThrow().neighbour();
        assertEquals(m.node(n.get(1)).sid().toNodeId(), hop);
        assertEquals(4, first.engine.router().nextHop(last.sid().toNodeId()).orElseThrow().hops());
        for (int i = 0; i < 3; i++) {
            assertTrue(first.engine.send(last.sid(), MeshEngine.PORT_ECHO, 257, ping(i, m.now()), 0, 12, m.now()));
            m.run(S);
        }
        List<SimMesh.Received> replies = first.received.stream().filter(r -> r.dstPort() == 257).toList();
        assertEquals(3, replies.size(), "echo replies; seed " + SEED);
        for (SimMesh.Received r : replies) {
            assertEquals(last.sid(), r.from());
            assertEquals(MeshEngine.PORT_ECHO, r.srcPort());
            assertEquals(MeshEngine.Security.CRYPTED, r.security());
        }
        assertTrue(m.node(n.get(2)).engine.event("forwarded") >= 6, "the middle node forwarded requests and replies");
        assertEquals(0L, m.nodes.values().stream().mapToLong(x -> x.engine.counters().errors()).sum());
    }

    @Test
    void gridOfTenByTenConverges() {
        SimMesh m = new SimMesh(SEED);
        List<String> g = m.net.grid(10, 10);
        m.start().run(14 * S);
        int unreachable = 0;
        for (String a : List.of(g.get(0), g.get(55), g.get(99))) {
            for (String b : g) {
                if (!a.equals(b) && !m.node(a).engine.reachability(m.node(b).sid()).reachable()) {
                    unreachable++;
                }
            }
        }
        assertEquals(0, unreachable, "seed " + SEED);
        // Corner to corner: 18 hops on a 10x10 grid with clean links (shortest path by cost = by hops here).
        var hop = m.node(g.get(0)).engine.router().nextHop(m.node(g.get(99)).sid().toNodeId()).orElseThrow();
        assertEquals(18, hop.hops());
        SimMesh.Node a = m.node(g.get(0));
        SimMesh.Node z = m.node(g.get(99));
        assertTrue(a.engine.send(z.sid(), MeshEngine.PORT_ECHO, 300, ping(1, m.now()), 0, 12, m.now()));
        m.run(2 * S);
        assertEquals(1, a.received.stream().filter(r -> r.dstPort() == 300 && r.from().equals(z.sid())).count());
    }

    @Test
    void cuttingALinkReroutes() {
        SimMesh m = new SimMesh(SEED);
        // A ring of six: two ways from n0 to n3.
        List<String> n = m.net.line(6);
        m.net.link(n.get(5), n.get(0), LinkProfile.ideal());
        m.start().run(15 * S);
        SimMesh.Node a = m.node(n.get(0));
        SimMesh.Node d = m.node(n.get(2));
        NodeId before = a.engine.router().nextHop(d.sid().toNodeId()).orElseThrow().neighbour();
        assertEquals(m.node(n.get(1)).sid().toNodeId(), before);
        m.net.cut(n.get(0), n.get(1));
        m.run(10 * S);
        var after = a.engine.router().nextHop(d.sid().toNodeId()).orElseThrow();
        assertEquals(m.node(n.get(5)).sid().toNodeId(), after.neighbour(), "rerouted the other way round");
        assertEquals(4, after.hops());
        assertTrue(a.engine.send(d.sid(), MeshEngine.PORT_ECHO, 400, ping(7, m.now()), 0, 12, m.now()));
        m.run(2 * S);
        assertEquals(1, a.received.stream().filter(r -> r.dstPort() == 400).count());
    }

    @Test
    void lossyLinksArePassedOverForCleanOnes() {
        SimMesh m = new SimMesh(SEED);
        // n0 - n1 - n2 direct but lossy (40%), or n0 - n3 - n4 - n2 clean: three clean hops beat one bad one.
        m.net.addNode("n0").addNode("n1").addNode("n2").addNode("n3").addNode("n4");
        m.net.link("n0", "n1", LinkProfile.ideal().withLoss(0.4));
        m.net.link("n1", "n2", LinkProfile.ideal().withLoss(0.4));
        m.net.link("n0", "n3", LinkProfile.ideal());
        m.net.link("n3", "n4", LinkProfile.ideal());
        m.net.link("n4", "n2", LinkProfile.ideal());
        m.start().run(30 * S);
        var hop = m.node("n0").engine.router().nextHop(m.node("n2").sid().toNodeId()).orElseThrow();
        assertEquals(m.node("n3").sid().toNodeId(), hop.neighbour(), "metric follows delivery, not hop count");
    }

    @Test
    void broadcastsReachEveryNodeOnceDespiteLossAndDuplication() {
        SimMesh m = new SimMesh(SEED);
        List<String> g = m.net.grid(6, 6, LinkProfile.ideal().withLoss(0.1).withDuplicate(0.2)
                .withJitter(Duration.ofMillis(3)));
        m.start().run(25 * S);
        SimMesh.Node origin = m.node(g.get(14));
        for (int i = 0; i < 5; i++) {
            origin.engine.broadcast(77, 77, new byte[] {(byte) i}, 0, 1, 31, m.now());
            m.run(S);
        }
        m.run(3 * S);
        Map<String, Long> perNode = m.nodes.values().stream().collect(Collectors.toMap(x -> x.name,
                x -> x.received.stream().filter(r -> r.dstPort() == 77).count()));
        for (String name : g) {
            if (name.equals(origin.name)) {
                assertEquals(0L, perNode.get(name), "the origin does not hear its own broadcast");
                continue;
            }
            assertEquals(5L, perNode.get(name), name + " got each of the 5 broadcasts exactly once; seed " + SEED);
            for (SimMesh.Received r : m.node(name).received) {
                if (r.dstPort() == 77) {
                    assertEquals(MeshEngine.Security.SIGNED, r.security());
                    assertEquals(origin.sid(), r.from());
                }
            }
        }
        long dups = m.nodes.values().stream().mapToLong(x -> x.engine.event("duplicate_broadcast")
                + x.engine.event("duplicate_frame") + x.engine.event("duplicate_packet")).sum();
        assertTrue(dups > 0, "duplicates happened and were dropped");
    }

    @Test
    void perHopAcknowledgementRecoversLostFrames() {
        SimMesh m = new SimMesh(SEED);
        List<String> n = m.net.line(3, LinkProfile.ideal().withLoss(0.25));
        m.start().run(20 * S);
        SimMesh.Node a = m.node(n.get(0));
        SimMesh.Node c = m.node(n.get(2));
        int sent = 0;
        for (int i = 0; i < 30; i++) {
            if (a.engine.send(c.sid(), MeshEngine.PORT_ECHO, 500, ping(i, m.now()), 0, 12, m.now())) {
                sent++;
            }
            m.run(S / 2);
        }
        m.run(3 * S);
        long replies = a.received.stream().filter(r -> r.dstPort() == 500).map(r -> ByteBuffer.wrap(r.data())
                .order(ByteOrder.LITTLE_ENDIAN).getInt()).distinct().count();
        long total = a.received.stream().filter(r -> r.dstPort() == 500).count();
        assertEquals(30, sent, "a route existed for every send; seed " + SEED);
        assertEquals(replies, total, "no reply delivered twice");
        long retransmitted = m.nodes.values().stream().mapToLong(x -> x.engine.event("retransmitted")).sum();
        long acked = m.nodes.values().stream().mapToLong(x -> x.engine.event("acked")).sum();
        assertTrue(retransmitted > 0 && acked > 0, "retransmitted " + retransmitted + ", acked " + acked);
        // Without retransmission four lossy hops would deliver about 0.75^4 = 32% of round trips.
        assertTrue(replies >= 24, replies + " of 30 round trips over four 25%-loss hops; seed " + SEED);
    }

    @Test
    void cleanLinksNeedNoRetransmission() {
        SimMesh m = new SimMesh(SEED);
        List<String> n = m.net.line(3);
        m.start().run(10 * S);
        for (int i = 0; i < 10; i++) {
            m.node(n.get(0)).engine.send(m.node(n.get(2)).sid(), MeshEngine.PORT_ECHO, 600, ping(i, m.now()), 0, 12,
                    m.now());
            m.run(S / 4);
        }
        m.run(2 * S);
        assertEquals(10, m.node(n.get(0)).received.stream().filter(r -> r.dstPort() == 600).count());
        assertEquals(0L, m.nodes.values().stream().mapToLong(x -> x.engine.event("retransmitted")).sum());
        assertEquals(40L, m.nodes.values().stream().mapToLong(x -> x.engine.event("acked")).sum(),
                "every hop of every request and reply acknowledged");
    }

    /** {@code count} pings from {@code a}'s port {@code srcPort} to {@code b}'s port 700, 125 ms apart, then 3 s. */
    private static void pings(SimMesh m, SimMesh.Node a, SimMesh.Node b, long srcPort, int count) {
        for (int i = 0; i < count; i++) {
            a.engine.send(b.sid(), 700, srcPort, ping(i, m.now()), 0, 12, m.now());
            m.run(S / 8);
        }
        m.run(3 * S);
    }

    /** A started line of {@code count} nodes over {@code profile}, run for {@code nanos} to converge. */
    private static List<SimMesh.Node> line(SimMesh m, int count, LinkProfile profile, long nanos) {
        List<String> names = m.net.line(count, profile);
        m.start().run(nanos);
        return names.stream().map(m::node).toList();
    }

    @Test
    void aFrameIsNotResentHopByHopOnceThousandsOfFramesFollowedIt() {
        // A frame resent 300 ms late after MAX_RESEND_SPAN later frames would reach a stream that moved on by as
        // many packets, where a copy can read as new (MSP's 16-bit seqs wrap). With few frames after it, it is resent.
        for (int following : new int[] {10, (int) MeshEngine.MAX_RESEND_SPAN + 100}) {
            SimMesh m = new SimMesh(SEED);
            List<SimMesh.Node> n = line(m, 2, LinkProfile.ideal(), 10 * S);
            SimMesh.Node a = n.get(0);
            SimMesh.Node b = n.get(1);
            String an = m.net.nodes().get(0);
            String bn = m.net.nodes().get(1);
            m.net.cut(an, bn); // the frame and its hop ack are lost: A would resend it after 300 ms
            long retransmittedBefore = a.engine.event("retransmitted");
            assertTrue(a.engine.send(b.sid(), 700, 601, ping(0, m.now()), 0, 12, m.now()), "route; seed " + SEED);
            a.engine.endToEnd(602, true);
            for (int i = 0; i < following; i++) {
                a.engine.send(b.sid(), 700, 602, ping(i, m.now()), 0, 12, m.now());
                if (i % 16 == 15) {
                    a.wake(m.now()); // the engine frames (and numbers) what is queued
                    m.run(S / 100_000);
                }
            }
            m.run(S / 5); // 200 ms: still before the resend timer
            m.net.restore(an, bn);
            m.run(S / 2); // past the 300 ms resend timer
            long resent = a.engine.event("retransmitted") - retransmittedBefore;
            if (following < MeshEngine.MAX_RESEND_SPAN) {
                assertTrue(resent >= 1, "a recent frame is resent; seed " + SEED);
                assertEquals(0L, a.engine.event("gave_up_stale"), "seed " + SEED);
            } else {
                assertEquals(0L, resent,
                        "a frame " + following + " frames old is not resent; seed " + SEED + " " + a.engine.events());
                assertTrue(a.engine.event("gave_up_stale") >= 1, "counted as gave_up_stale; seed " + SEED);
            }
        }
    }

    @Test
    void atMostMaxAwaitingAckPacketsToANeighbourAreTrackedForHopAcks() {
        // Hop acks name packets by an 8-bit seq; with hundreds in flight they were misattributed and resent for
        // nothing. Beyond MAX_AWAITING_ACK unacked packets, packets go out once, asking for no ack.
        SimMesh m = new SimMesh(SEED);
        List<SimMesh.Node> n = line(m, 2, LinkProfile.ideal(), 10 * S);
        SimMesh.Node a = n.get(0);
        SimMesh.Node b = n.get(1);
        m.net.cut(m.net.nodes().get(0), m.net.nodes().get(1)); // nothing comes back: no packet gets acked
        byte[] big = new byte[900];
        int sent = 3 * MeshEngine.MAX_AWAITING_ACK;
        long before = a.engine.event("retransmitted");
        for (int i = 0; i < sent; i++) {
            big[0] = (byte) i;
            assertTrue(a.engine.send(b.sid(), 700, 601, big, 0, big.length, m.now()), "route; seed " + SEED);
            a.wake(m.now());
            m.run(S / 100_000);
        }
        long untracked = a.engine.event("hop_ack_untracked");
        assertTrue(untracked >= sent - MeshEngine.MAX_AWAITING_ACK,
                untracked + " of " + sent + " untracked; seed " + SEED + " " + a.engine.events());
        m.run(S / 2); // past the 300 ms resend timer
        long resent = a.engine.event("retransmitted") - before;
        assertTrue(resent > 0 && resent <= MeshEngine.MAX_AWAITING_ACK,
                resent + " resent: only tracked packets are; seed " + SEED);
    }

    @Test
    void endToEndPortsAskNoHopAck() {
        SimMesh m = new SimMesh(SEED);
        List<SimMesh.Node> n = line(m, 2, LinkProfile.ideal().withLoss(0.2), 10 * S);
        SimMesh.Node a = n.get(0);
        SimMesh.Node b = n.get(1);
        a.engine.endToEnd(600, true);
        assertTrue(a.engine.isEndToEnd(600) && !a.engine.isEndToEnd(601));
        pings(m, a, b, 600, 40);
        long got = b.received.stream().filter(r -> r.srcPort() == 600).count();
        assertEquals(0L, a.engine.event("acked"), "no hop ack asked for or sent; seed " + SEED);
        assertEquals(0L, a.engine.event("retransmitted"), "losses are left to the end-to-end protocol; seed " + SEED);
        assertTrue(got > 20 && got < 40, got + " of 40 over a 20%-loss hop, none resent; seed " + SEED);
        pings(m, a, b, 601, 40);
        assertTrue(a.engine.event("acked") > 0 && a.engine.event("retransmitted") > 0,
                "other ports keep per-hop acks and resends; seed " + SEED);
        a.engine.endToEnd(600, false);
        assertTrue(!a.engine.isEndToEnd(600));
    }

    @Test
    void endToEndFramesAreForwardedWithoutHopAcks() {
        SimMesh m = new SimMesh(SEED);
        List<SimMesh.Node> n = line(m, 3, LinkProfile.ideal(), 10 * S);
        SimMesh.Node a = n.get(0);
        SimMesh.Node b = n.get(1);
        SimMesh.Node c = n.get(2);
        a.engine.endToEnd(600, true);
        pings(m, a, c, 600, 10);
        assertEquals(10, c.received.stream().filter(r -> r.srcPort() == 600).count(), "seed " + SEED);
        assertEquals(0L, a.engine.event("acked") + b.engine.event("acked"), "no hop acked; seed " + SEED);
        assertEquals(10L, b.engine.event("forwarded"), "seed " + SEED);
    }

    @Test
    void abbreviatedAddressesLeaveRoomForServaldSizedMessages() {
        assertTrue(MeshEngine.MAX_CRYPTED_PAYLOAD - 10 >= 1024 + 5,
                "an MSP packet of a 1024-byte message after the widest port header");
        SimMesh m = new SimMesh(SEED);
        List<SimMesh.Node> n = line(m, 3, LinkProfile.ideal(), 10 * S);
        SimMesh.Node a = n.get(0);
        SimMesh.Node b = n.get(1);
        SimMesh.Node c = n.get(2);
        b.recording = true;
        byte[] data = new byte[MeshEngine.MAX_CRYPTED_PAYLOAD - 10];
        new java.util.Random(SEED).nextBytes(data);
        long dst = 0xFFFFFF00L; // 5-byte varints: the widest port header
        long src = 0xFFFFFF01L;
        assertTrue(a.engine.send(c.sid(), dst, src, data, 0, data.length, m.now()), "routed; seed " + SEED);
        assertTrue(c.engine.send(a.sid(), dst, src, data, 0, data.length, m.now()), "routed; seed " + SEED);
        m.run(2 * S);
        for (SimMesh.Node x : List.of(a, c)) {
            List<SimMesh.Received> got = x.received.stream().filter(r -> r.dstPort() == dst).toList();
            assertEquals(1, got.size(), "the largest datagram crossed two hops to " + x.name + "; seed " + SEED);
            assertTrue(java.util.Arrays.equals(data, got.getFirst().data()));
        }
        assertEquals(0L, m.nodes.values().stream().mapToLong(x -> x.engine.event("frame_too_large")).sum());
        long abbreviated = b.recorded.stream().filter(p -> (p[3] & 1) != 0 || (p[2] & 0xff) != 0x20)
                .filter(p -> (p[2] & 0xff) == MeshEngine.ABBREVIATION_BYTES).count();
        assertTrue(abbreviated > 0, "unicast packet headers abbreviate the sender once it is known; seed " + SEED);
    }

    @Test
    void aNeighbourAskingWhoWeAreGetsFullAddressesAgain() {
        SimMesh m = new SimMesh(SEED);
        List<SimMesh.Node> n = line(m, 2, LinkProfile.ideal(), 10 * S);
        SimMesh.Node a = n.get(0);
        SimMesh.Node b = n.get(1);
        a.recording = true;
        pings(m, b, a, 601, 4);
        assertTrue(a.recorded.stream().anyMatch(p -> isUnicast(p) && (p[2] & 0xff) == MeshEngine.ABBREVIATION_BYTES),
                "B abbreviates itself to A once A knows it; seed " + SEED);
        // A (as if restarted) asks who B's prefix is: a please-explain frame in a broadcast packet from A.
        byte[] packet = new byte[200];
        var w = new org.clatter.mdp.codec.OverlayPacketWriter().wrap(java.lang.foreign.MemorySegment.ofArray(packet),
                0, packet.length);
        w.begin(0, org.clatter.mdp.codec.OverlayPacketFlyweight.ENCAP_OVERLAY, // v0: no frame seq to collide
                org.clatter.mdp.codec.AddressCodes.FULL, a.sid().toBytes(), 0, false, 0, -1);
        var h = new org.clatter.mdp.codec.FrameHeader().clear();
        h.flags(org.clatter.mdp.codec.FrameFlyweight.F_SENDER_SAME | org.clatter.mdp.codec.FrameFlyweight.F_TO_BROADCAST
                | org.clatter.mdp.codec.FrameFlyweight.F_ONE_HOP);
        h.type(org.clatter.mdp.codec.FrameFlyweight.TYPE_PLEASE_EXPLAIN);
        byte[] ask = new byte[1 + MeshEngine.ABBREVIATION_BYTES];
        ask[0] = (byte) MeshEngine.ABBREVIATION_BYTES;
        System.arraycopy(b.sid().toBytes(), 0, ask, 1, MeshEngine.ABBREVIATION_BYTES);
        assertTrue(w.appendFrame(h, ask, 0, ask.length));
        b.engine.receive(0, a.address(), java.lang.foreign.MemorySegment.ofArray(packet), 0, w.length(), m.now());
        assertEquals(1L, b.engine.event("abbreviation_explained"), "seed " + SEED);
        a.recorded.clear();
        m.run(S / 100); // B's answer and whatever else B sends next, before A's next link-state record
        pings(m, b, a, 601, 1);
        long full = a.recorded.stream().filter(p -> isUnicast(p) && (p[2] & 0xff) == 0x20).count();
        long abbreviated = a.recorded.stream()
                .filter(p -> isUnicast(p) && (p[2] & 0xff) == MeshEngine.ABBREVIATION_BYTES).count();
        assertTrue(full > 0 && abbreviated == 0, "after the question B names itself in full: " + full + " full, "
                + abbreviated + " abbreviated; seed " + SEED);
        assertEquals(5, a.received.stream().filter(r -> r.srcPort() == 601).count(), "seed " + SEED);
    }

    /** Whether a recorded packet (version, encapsulation, sender, flags...) was sent unicast. */
    private static boolean isUnicast(byte[] p) {
        int code = p[2] & 0xff;
        int flagsAt = 3 + (code <= 0x20 ? code : 0);
        return p.length > flagsAt && (p[flagsAt] & 1) != 0;
    }

    @Test
    void sameSeedSameRun() {
        String a = trace(SEED);
        String b = trace(SEED);
        assertEquals(a, b);
    }

    private static String trace(long seed) {
        SimMesh m = new SimMesh(seed);
        m.net.line(4, LinkProfile.ideal().withLoss(0.2));
        m.start().run(10 * S);
        StringBuilder sb = new StringBuilder();
        for (SimMesh.Node n : m.nodes.values()) {
            sb.append(n.name).append(n.engine.router().table()).append(n.engine.events()).append('\n');
        }
        return sb.toString();
    }
}
