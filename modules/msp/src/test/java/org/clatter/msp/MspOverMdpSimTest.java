package org.clatter.msp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.clatter.msp.mdp.MdpDatagramLayer;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.Test;

/**
 * MSP over real (sans-I/O) MDP: three MeshEngines in a line on the simulated network, the stream from the first to
 * the last crosses two hops in crypted MDP frames. Loss, jitter (reordering) and duplication on every link.
 */
class MspOverMdpSimTest {
    static final long SECOND = 1_000_000_000L;

    record Run(MdpMeshLine line, Peer client, Peer server, MspConnection clientConn, MspConnection serverConn) {
    }

    static Run exchange(long seed, int lossPct, int dupPct, int jitterMs, int count) {
        MdpMeshLine line = new MdpMeshLine(seed, 3, MspConfig.defaults());
        assertTrue(line.converge(), "the line of 3 converges, seed " + seed);
        line.profile(LinkProfile.ideal().withLatency(Duration.ofMillis(5)).withLoss(lossPct / 100.0)
                .withDuplicate(dupPct / 100.0).withJitter(Duration.ofMillis(jitterMs)));
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long[] clock = new long[1];
        Peer client = new Peer(messages(r, count), false, clock);
        Peer server = new Peer(messages(r, 1 + r.nextInt(count)), true, clock);
        MspConnection[] accepted = new MspConnection[1];
        MdpMeshLine.Node a = line.node(0);
        MdpMeshLine.Node c = line.node(2);
        c.msp.listen(MspAddress.anyIdentity(555), conn -> {
            accepted[0] = conn;
            server.connection = conn;
            return server;
        });
        MspConnection conn = a.msp.connect(a.identity, c.identity.withPort(555), client);
        client.start(conn);
        long limit = line.now() + 600 * SECOND;
        while ((client.closedCount == 0 || server.closedCount == 0) && line.now() < limit) {
            line.scheduler.runFor(SECOND / 10);
            clock[0] = line.now();
        }
        line.scheduler.runFor(15 * SECOND);
        return new Run(line, client, server, conn, accepted[0]);
    }

    /** Random messages, an eighth of them of the largest size one MDP frame carries. */
    static List<byte[]> messages(SplittableRandom r, int count) {
        int max = MdpDatagramLayer.MAX_PACKET - org.clatter.msp.codec.MspHeader.PREAMBLE;
        List<byte[]> list = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] m = new byte[r.nextInt(8) == 0 ? max : 1 + r.nextInt(r.nextBoolean() ? 40 : max)];
            r.nextBytes(m);
            list.add(m);
        }
        return list;
    }

    @Test
    void everyMessageExactlyOnceInOrderAcrossTwoHopsUnderLoss() {
        long[] runs = new long[3];
        qt().withExamples(100).forAll(longs().all(), integers().between(0, 30), integers().between(1, 30))
                .checkAssert((seed, loss, count) -> {
                    SplittableRandom x = new SplittableRandom(seed);
                    int dup = x.nextInt(11);
                    int jitter = x.nextInt(21);
                    Run o = exchange(seed, loss, dup, jitter, count);
                    String why = "seed=" + seed + " loss=" + loss + "% dup=" + dup + "% jitter=" + jitter
                            + "ms count=" + count + " client " + o.clientConn() + " " + o.client().reason
                            + " server " + o.serverConn() + " " + o.server().reason + " mesh A "
                            + o.line().node(0).mesh.events() + " layer A " + o.line().node(0).layer.counters() + " mesh B " + o.line().node(1).mesh.events() + " mesh C " + o.line().node(2).mesh.events() + " layer C " + o.line().node(2).layer.counters();
                    assertTrue(Peer.sameMessages(o.client().toSend, o.server().received), "client->server " + why);
                    assertTrue(Peer.sameMessages(o.server().toSend, o.client().received), "server->client " + why);
                    assertEquals(1, o.client().closedCount, why);
                    assertEquals(1, o.server().closedCount, why);
                    assertEquals(1, o.server().remoteShutdownCount, why);
                    assertEquals(1, o.client().remoteShutdownCount, why);
                    MspTransferPropertyTest.assertCloseAsSpecified(o.client(), o.clientConn(), o.server(), why);
                    MspTransferPropertyTest.assertCloseAsSpecified(o.server(), o.serverConn(), o.client(), why);
                    assertTrue(o.clientConn().isExtended(), "Clatter peers negotiate the extension " + why);
                    assertEquals(0L, (long) o.line().node(0).layer.counters().get("msp.mdp.not_crypted"), why);
                    runs[0]++;
                    runs[1] += o.server().received.size() + o.client().received.size();
                    runs[2] += o.line().node(0).msp.counters().getOrDefault("data.retransmitted", 0L);
                });
        System.out.println("MSP over MDP: " + runs[0] + " runs, " + runs[1] + " messages delivered, "
                + runs[2] + " MSP retransmissions at the client");
        assertTrue(runs[1] > runs[0]);
    }

    @Test
    void fullSizePacketsFitOneCryptedFrame() {
        Run o = exchange(7, 0, 0, 0, 30);
        for (byte[] m : o.client().toSend) {
            assertTrue(m.length <= o.line().node(0).msp.maxMessageSize());
        }
        assertTrue(Peer.sameMessages(o.client().toSend, o.server().received));
        for (MdpMeshLine.Node n : o.line().nodes) {
            assertEquals(0L, n.mesh.event("frame_too_large"), n.name + " " + n.mesh.events());
        }
        long delivered = o.line().node(2).layer.counters().get("msp.mdp.delivered");
        assertTrue(delivered >= 30, "every message travelled in MDP frames: " + delivered);
        assertEquals(MdpDatagramLayer.MAX_PACKET, o.line().node(0).layer.maxPacketSize());
        assertTrue(o.client().toSend.stream().anyMatch(m -> m.length == o.line().node(0).msp.maxMessageSize()));
    }

    @Test
    void halfCloseLetsTheOtherSideKeepSendingThenBothCloseOnce() {
        Run o = exchange(11, 10, 0, 5, 10);
        // The server sends only after the client's shutdown: its data still arrives, then both close NORMAL.
        assertTrue(o.clientConn().isShutdownLocal());
        assertTrue(Peer.sameMessages(o.server().toSend, o.client().received));
        assertEquals(1, o.client().closedCount);
        assertEquals(1, o.server().closedCount);
        assertEquals(MspCloseReason.NORMAL, o.server().reason);
    }

    @Test
    void vanishedPeerGivesAnErrorWithinTheTimeout() {
        qt().withExamples(5).forAll(longs().all()).checkAssert(seed -> {
            MdpMeshLine line = new MdpMeshLine(seed, 3, MspConfig.defaults());
            assertTrue(line.converge());
            MdpMeshLine.Node a = line.node(0);
            MdpMeshLine.Node c = line.node(2);
            long[] clock = new long[1];
            Peer server = new Peer(List.of(), true, clock);
            c.msp.listen(MspAddress.anyIdentity(555), conn -> server);
            Peer client = new Peer(List.of(new byte[] {1, 2, 3}), false, clock) {
                @Override
                void pump(MspConnection conn) {
                    while (next < toSend.size() && conn.send(toSend.get(next)) == MspConnection.SENT) {
                        next++;
                    }
                }
            };
            MspConnection conn = a.msp.connect(a.identity, c.identity.withPort(555), client);
            client.start(conn);
            line.scheduler.runFor(2 * SECOND);
            assertEquals(1, server.received.size(), "seed " + seed);
            long gone = line.now();
            line.net.cut(line.names.get(1), line.names.get(2));
            conn.send(new byte[] {4, 5, 6});
            while (client.closedCount == 0 && line.now() < gone + 60 * SECOND) {
                line.scheduler.runFor(SECOND / 10);
                clock[0] = line.now();
            }
            assertEquals(1, client.closedCount, "seed " + seed);
            assertEquals(MspCloseReason.TIMEOUT, client.reason, "seed " + seed);
            assertEquals(1, client.errorCount, "seed " + seed);
            long took = client.closedAt - gone;
            assertTrue(took <= 12 * SECOND, "error within the 10 s timeout (+ a tick): " + took / 1e9 + " s");
        });
    }
}
