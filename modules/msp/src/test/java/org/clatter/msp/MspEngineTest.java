package org.clatter.msp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.clatter.core.time.VirtualClock;
import org.clatter.msp.codec.MspHeader;
import org.junit.jupiter.api.Test;

class MspEngineTest {
    static final long MS = 1_000_000L;
    static final long SECOND = 1000 * MS;
    static final MspAddress A = MspAddress.ofHex("5D1628BCC46D80E579479CF70D3FF07834197CC7E6F8D156DEE24D9157F2C37C", 0);
    static final MspAddress B = MspAddress.ofHex("57177BD2BC32057D226626722DD7AAA75519865D5BB7054071B4D8DA508BC61C", 555);

    @Test
    void servaldModeSpeaksExactlyTheCapturedBytes() {
        VirtualClock clock = new VirtualClock();
        RecordingLayer layer = new RecordingLayer(A);
        MspEngine engine = new MspEngine(layer, MspConfig.servaldOnly(), clock);
        Peer client = new Peer(List.of(), false, new long[1]);
        MspConnection c = engine.connect(A, B, client);
        assertEquals(MspConnection.SENT, c.send("hello MSP from Alice\n".getBytes()));
        // servald's new-stream delay: nothing before 10 ms.
        assertTrue(engine.processing(clock.nanos()) <= 10 * MS);
        assertEquals(0, layer.sent.size());
        clock.advanceTo(10 * MS);
        long next = engine.processing(clock.nanos());
        assertEquals("04ffff0000" + HexFormat.of().formatHex("hello MSP from Alice\n".getBytes()),
                HexFormat.of().formatHex(layer.last()));
        // B answers with data + SHUTDOWN, acking our seq 0 (capture: 03 0000 0000 "reply from Bob over MSP\n").
        clock.advanceTo(20 * MS);
        byte[] reply = fromHex("0300000000", "reply from Bob over MSP\n");
        engine.receive(clock.nanos(), c.local(), B, reply, 0, reply.length);
        assertTrue(engine.nextDeadline() <= clock.nanos(), "an ack is due now");
        engine.processing(clock.nanos());
        assertEquals(1, client.received.size());
        assertEquals("reply from Bob over MSP\n", new String(client.received.get(0)));
        assertEquals(1, client.remoteShutdownCount);
        assertArrayEquals(HexFormat.of().parseHex("020000"), layer.last(), "immediate ack of B's seq 0");
        assertEquals(0, c.inFlight());
        // Keep-alive acks about every 1.5 s while the stream idles.
        int before = layer.sent.size();
        next = engine.processing(clock.nanos());
        assertTrue(next <= clock.nanos() + 1500 * MS, "next " + next);
        clock.advanceTo(next);
        engine.processing(clock.nanos());
        assertEquals(before + 1, layer.sent.size());
        assertArrayEquals(HexFormat.of().parseHex("020000"), layer.last());
        // Our SHUTDOWN is an empty data packet with seq 1; once B acks it, the stream is closed normally.
        c.shutdown();
        engine.processing(clock.nanos());
        assertArrayEquals(HexFormat.of().parseHex("0300000100"), layer.last());
        byte[] ack = HexFormat.of().parseHex("020100");
        engine.receive(clock.nanos(), c.local(), B, ack, 0, ack.length);
        engine.processing(clock.nanos());
        assertEquals(1, client.closedCount);
        assertEquals(MspCloseReason.NORMAL, client.reason);
        // A late keep-alive from B for the forgotten stream is answered with STOP (the capture's last packet).
        engine.receive(clock.nanos(), c.local(), B, ack, 0, ack.length);
        assertEquals(MspHeader.STOP, layer.last()[0] & MspHeader.STOP);
    }

    @Test
    void zeroLengthAndOversizeMessagesAreRejectedWithAClearError() {
        RecordingLayer layer = new RecordingLayer(A);
        MspEngine engine = new MspEngine(layer, MspConfig.defaults(), new VirtualClock());
        MspConnection c = engine.connect(A, B, new Peer(List.of(), false, new long[1]));
        MspException e = assertThrows(MspException.class, () -> c.send(new byte[0]));
        assertTrue(e.getMessage().contains("zero-length"), e.getMessage());
        MspException big = assertThrows(MspException.class, () -> c.send(new byte[1025]));
        assertTrue(big.getMessage().contains("split"), big.getMessage());
        assertEquals(MspConnection.SENT, c.send(new byte[1024]));
    }

    @Test
    void fullWindowReportsBackPressureThenWritable() {
        VirtualClock clock = new VirtualClock();
        RecordingLayer layer = new RecordingLayer(A);
        MspEngine engine = new MspEngine(layer, MspConfig.servaldOnly(), clock);
        Peer p = new Peer(List.of(), false, new long[1]);
        MspConnection c = engine.connect(A, B, p);
        for (int i = 0; i < 4; i++) {
            assertEquals(MspConnection.SENT, c.send(new byte[] {(byte) i}));
        }
        assertFalse(c.canSend());
        assertEquals(MspConnection.BACK_PRESSURED, c.send(new byte[] {4}));
        clock.advanceTo(10 * MS);
        engine.processing(clock.nanos());
        assertEquals(4, layer.sent.size());
        byte[] ack = HexFormat.of().parseHex("0001ff");
        ack[0] = MspHeader.ACK;
        ack[1] = 1;
        ack[2] = 0;
        engine.receive(clock.nanos(), c.local(), B, ack, 0, ack.length);
        assertEquals(1, p.writableCount);
        assertEquals(2, c.inFlight());
        assertEquals(MspConnection.SENT, c.send(new byte[] {4}));
    }

    @Test
    void retransmitsAfter1500msTowardServaldAndTimesOutAfter10sOfSilence() {
        VirtualClock clock = new VirtualClock();
        RecordingLayer layer = new RecordingLayer(A);
        MspEngine engine = new MspEngine(layer, MspConfig.servaldOnly(), clock);
        Peer p = new Peer(List.of(), false, new long[1]);
        MspConnection c = engine.connect(A, B, p);
        c.send(new byte[] {42});
        long t = 0;
        List<Long> dataSentAt = new ArrayList<>();
        int seen = 0;
        while (p.closedCount == 0 && t < 20 * SECOND) {
            long next = engine.processing(t);
            for (; seen < layer.sent.size(); seen++) {
                if (layer.sent.get(seen).bytes().length > 3) {
                    dataSentAt.add(t);
                }
            }
            if (p.closedCount > 0) {
                break;
            }
            t = Math.max(next, t + 1);
            clock.advanceTo(t);
        }
        assertEquals(MspCloseReason.TIMEOUT, p.reason);
        assertEquals(1, p.errorCount);
        assertTrue(t >= 10 * SECOND && t <= 10 * SECOND + 20 * MS, "timed out at " + t);
        assertEquals(10 * MS, (long) dataSentAt.get(0));
        for (int i = 1; i < dataSentAt.size(); i++) {
            assertEquals(1500 * MS, dataSentAt.get(i) - dataSentAt.get(i - 1), "retransmission interval");
        }
    }

    @Test
    void aVanishedPeerProducesAnErrorWithinTheTimeout() {
        qt().withExamples(40).forAll(longs().all(), integers().between(0, 30), integers().between(0, 3000),
                        integers().between(0, 2))
                .checkAssert((seed, loss, vanishMs, mode) -> {
                    SimNet net = new SimNet(seed);
                    net.loss = loss / 100.0;
                    net.latencyNanos = 20 * MS;
                    net.jitterNanos = 20 * MS;
                    SimNet.Node a = net.node(1, mode == 1 ? MspConfig.servaldOnly() : MspConfig.defaults());
                    SimNet.Node b = net.node(2, mode == 2 ? MspConfig.servaldOnly() : MspConfig.defaults());
                    long[] clock = new long[1];
                    Peer server = new Peer(List.of(), true, clock);
                    b.engine.listen(MspAddress.anyIdentity(7), conn -> server);
                    byte[] chunk = {1, 2, 3};
                    Peer client = new Peer(List.of(), false, clock) {
                        @Override
                        void pump(MspConnection c) {
                            while (c.send(chunk) == MspConnection.SENT) {
                                next++;
                            }
                        }
                    };
                    client.start(a.engine.connect(a.identity, b.identity.withPort(7), client));
                    net.scheduler.runFor(vanishMs * MS);
                    b.down = true;
                    long vanishedAt = net.scheduler.clock().nanos();
                    while (client.closedCount == 0 && net.scheduler.clock().nanos() < vanishedAt + 60 * SECOND) {
                        net.scheduler.runFor(10 * MS);
                        clock[0] = net.scheduler.clock().nanos();
                    }
                    String why = "seed=" + seed + " loss=" + loss + " vanish=" + vanishMs + " mode=" + mode;
                    assertEquals(1, client.closedCount, why);
                    assertEquals(MspCloseReason.TIMEOUT, client.reason, why);
                    assertEquals(1, client.errorCount, why);
                    assertTrue(client.closedAt <= vanishedAt + 10 * SECOND + 60 * MS, why + " closed at "
                            + client.closedAt + " vanished at " + vanishedAt);
                });
    }

    @Test
    void stopFromThePeerAbortsWithAnError() {
        SimNet net = new SimNet(7);
        SimNet.Node a = net.node(1, MspConfig.defaults());
        SimNet.Node b = net.node(2, MspConfig.defaults());
        long[] clock = new long[1];
        Peer server = new Peer(List.of(), true, clock) {
            @Override
            public void onData(MspConnection c, byte[] buf, int off, int len) {
                super.onData(c, buf, off, len);
                c.stop();
            }
        };
        b.engine.listen(MspAddress.anyIdentity(9), conn -> server);
        Peer client = new Peer(List.of(new byte[] {1}, new byte[] {2}), false, clock);
        client.start(a.engine.connect(a.identity, b.identity.withPort(9), client));
        net.scheduler.runFor(5 * SECOND);
        assertEquals(MspCloseReason.STOPPED_LOCALLY, server.reason);
        assertEquals(1, server.closedCount);
        assertEquals(MspCloseReason.STOPPED_BY_PEER, client.reason);
        assertEquals(1, client.errorCount);
        assertEquals(1, client.closedCount);
        assertEquals(0, a.engine.connectionCount());
    }

    @Test
    void closeWaitsForThePeerThenLingerExpires() {
        SimNet net = new SimNet(8);
        SimNet.Node a = net.node(1, MspConfig.defaults().withLinger(3 * SECOND));
        SimNet.Node b = net.node(2, MspConfig.defaults());
        long[] clock = new long[1];
        Peer server = new Peer(List.of(), true, clock); // never shuts down: it waits for data that never comes
        b.engine.listen(MspAddress.anyIdentity(9), conn -> new Peer(List.of(), true, clock) {
            @Override
            public void onRemoteShutdown(MspConnection c) {
                remoteShutdownCount++;
            }

            @Override
            public void onClosed(MspConnection c, MspCloseReason r) {
                server.onClosed(c, r);
            }
        });
        Peer client = new Peer(List.of(), false, clock);
        MspConnection c = a.engine.connect(a.identity, b.identity.withPort(9), client);
        c.send(new byte[] {1});
        c.close();
        net.scheduler.runFor(2 * SECOND);
        assertEquals(0, client.closedCount);
        net.scheduler.runFor(2 * SECOND);
        assertEquals(MspCloseReason.LINGER_EXPIRED, client.reason);
        assertEquals(1, client.closedCount);
        assertEquals(MspCloseReason.STOPPED_BY_PEER, server.reason);
    }

    @Test
    void oneListenerServesManyConnectionsOnAnyIdentity() {
        SimNet net = new SimNet(9);
        net.loss = 0.1;
        SimNet.Node server = net.node(10, MspConfig.defaults());
        List<Peer> accepted = new ArrayList<>();
        long[] clock = new long[1];
        server.engine.listen(MspAddress.anyIdentity(18), conn -> {
            Peer p = new Peer(List.of(), true, clock);
            accepted.add(p);
            return p;
        });
        List<Peer> clients = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            SimNet.Node n = net.node(i, i % 2 == 0 ? MspConfig.servaldOnly() : MspConfig.defaults());
            Peer p = new Peer(List.of(new byte[] {(byte) i}, new byte[] {(byte) i, (byte) i}), false, clock);
            p.start(n.engine.connect(n.identity, server.identity.withPort(18), p));
            clients.add(p);
        }
        net.scheduler.runFor(30 * SECOND);
        assertEquals(5, accepted.size());
        for (Peer p : accepted) {
            assertEquals(2, p.received.size());
            assertEquals(p.received.get(0)[0], p.received.get(1)[1]);
            assertEquals(MspCloseReason.NORMAL, p.reason);
        }
        for (Peer p : clients) {
            assertEquals(MspCloseReason.NORMAL, p.reason);
        }
        assertEquals(0, server.engine.connectionCount());
    }

    @Test
    void aBurstReadInOneGoIsAckedEveryEighthOfTheWindowBeforeTheNextProcessing() {
        // A busy node reads hundreds of packets before its next processing; with only delayed acks the sender's
        // window stays shut for the whole burst. Between Clatter peers every window/8 in-order packets are acked at
        // once, from the receive path.
        List<byte[]> got = new ArrayList<>();
        Wired w = new Wired(c -> new Peer(List.of(), true, new long[1]) {
            @Override
            public void onData(MspConnection conn, byte[] buf, int off, int len) {
                got.add(java.util.Arrays.copyOfRange(buf, off, off + len));
            }
        });
        int burst = 200;
        for (int i = 0; i < burst; i++) {
            assertEquals(MspConnection.SENT, w.conn.send(new byte[] {(byte) i, 2, 3}));
        }
        w.a.processing(w.clock.nanos());
        int dataPackets = w.la.sent.size();
        assertTrue(dataPackets >= burst, "sent " + dataPackets);
        w.lb.sent.clear();
        shuttle(w.la, w.b, w.clock.nanos()); // the whole burst, no processing in between
        int every = Math.max(8, w.conn.window() / 8);
        MspHeader h = new MspHeader();
        List<Integer> acked = new ArrayList<>();
        for (RecordingLayer.Sent sent : w.lb.sent) {
            int kind = h.decode(sent.bytes(), 0, sent.bytes().length);
            assertTrue(kind == MspHeader.KIND_ACK || kind == MspHeader.KIND_SACK, "kind " + kind);
            acked.add(h.ack());
        }
        assertEquals(burst / every, acked.size(), "acks during the burst: " + acked);
        for (int i = 1; i < acked.size(); i++) {
            assertEquals(every, MspHeader.compareSeq(acked.get(i), acked.get(i - 1)) > 0
                    ? (acked.get(i) - acked.get(i - 1)) & 0xFFFF : -1, "acks " + acked);
        }
        assertEquals(burst + 1, got.size());
    }

    @Test
    void betweenClatterPeersTheAckOfADuplicateDataPacketIsNotTrusted() {
        // A data packet this side already has may be a copy MDP resent long after (data asks for hop acks): its ack
        // is stale, and after a fast stream's seqs wrapped it could release packets the peer never had.
        MspConnection[] atB = new MspConnection[1];
        Wired w = new Wired(c -> {
            atB[0] = c;
            return new Peer(List.of(), true, new long[1]);
        });
        // B sends one data packet; A takes it.
        assertEquals(MspConnection.SENT, atB[0].send(new byte[] {7, 7}));
        w.b.processing(w.clock.nanos());
        MspHeader h = new MspHeader();
        RecordingLayer.Sent data = null;
        for (RecordingLayer.Sent sent : w.lb.sent) {
            if (h.decode(sent.bytes(), 0, sent.bytes().length) == MspHeader.KIND_DATA) {
                data = sent;
            }
        }
        assertTrue(data != null, "B sent data");
        byte[] fromB = data.bytes();
        MspAddress to = data.remote();
        MspAddress from = data.local();
        w.lb.sent.clear();
        w.a.receive(w.clock.nanos(), to, from, fromB, 0, fromB.length);
        // A sends five packets B never gets.
        for (int i = 0; i < 5; i++) {
            assertEquals(MspConnection.SENT, w.conn.send(new byte[] {(byte) i, 1, 2}));
        }
        w.a.processing(w.clock.nanos());
        assertEquals(5, w.conn.inFlight());
        h.decode(w.la.last(), 0, w.la.last().length);
        int newest = h.seq();
        // A copy of B's data packet (A has it) whose ack claims all five: not trusted.
        byte[] copy = fromB.clone();
        copy[1] = (byte) newest;
        copy[2] = (byte) (newest >>> 8);
        w.a.receive(w.clock.nanos(), to, from, copy, 0, copy.length);
        assertEquals(5, w.conn.inFlight(), "a duplicate's ack released packets: " + w.conn);
        // The same ack on a bare ack is news and is taken.
        byte[] ack = new byte[3];
        ack[0] = fromB[0];
        ack[1] = (byte) newest;
        ack[2] = (byte) (newest >>> 8);
        w.a.receive(w.clock.nanos(), to, from, ack, 0, ack.length);
        assertEquals(0, w.conn.inFlight(), w.conn.toString());
    }

    @Test
    void aSlowStreamsDataAndAcksAreRepairedHopByHopAFastStreamsAreNot() {
        // A late copy of an ack (MDP resends after 300 ms, up to 4 times) could read as new once the data's 16-bit
        // seqs wrapped: only possible when packets arrive fast. A fast sender's data is repaired end to end (per-hop
        // tracking of every packet costs more than it saves); a slow one's hop by hop.
        Wired w = new Wired(c -> new Peer(List.of(), true, new long[1]));
        assertFalse(w.lb.lateCopySafe.getFirst(), "a new stream counts as fast until a window showed otherwise");
        w.lb.lateCopySafe.clear();
        w.clock.advanceBy(300 * MS); // a fresh rate window: so far the stream was slow
        List<Boolean> ackSafety = new ArrayList<>();
        List<Boolean> dataSafety = new ArrayList<>();
        int sent = 0;
        for (int round = 0; round < 8; round++) { // about 2,000 packets within one 100 ms window: fast
            while (w.conn.send(new byte[] {(byte) sent, 2, 3}) == MspConnection.SENT) {
                sent++;
            }
            w.a.processing(w.clock.nanos());
            dataSafety.addAll(w.la.lateCopySafe);
            w.la.lateCopySafe.clear();
            shuttle(w.la, w.b, w.clock.nanos());
            w.b.processing(w.clock.nanos());
            ackSafety.addAll(w.lb.lateCopySafe);
            w.lb.lateCopySafe.clear();
            shuttle(w.lb, w.a, w.clock.nanos());
        }
        assertTrue(sent > 1000, "sent " + sent);
        assertTrue(ackSafety.getFirst(), "the first acks, while few packets had arrived: " + ackSafety);
        assertFalse(ackSafety.getLast(), "acks once packets arrive fast: " + ackSafety);
        assertTrue(dataSafety.getFirst(), "data of a stream that was slow so far");
        assertFalse(dataSafety.getLast(), "data once it is sent fast");
        w.la.lateCopySafe.clear();
        // A slow spell later (one packet per 200 ms): acks are safe to repair again.
        w.clock.advanceBy(500 * MS);
        for (int i = 0; i < 3; i++) {
            w.clock.advanceBy(200 * MS);
            assertEquals(MspConnection.SENT, w.conn.send(new byte[] {9}));
            w.a.processing(w.clock.nanos());
            shuttle(w.la, w.b, w.clock.nanos());
            w.clock.advanceBy(2 * MS);
            w.b.processing(w.clock.nanos());
            shuttle(w.lb, w.a, w.clock.nanos());
        }
        assertTrue(w.lb.lateCopySafe.getLast(), "acks of a slow stream: " + w.lb.lateCopySafe);
        assertTrue(w.la.lateCopySafe.getLast(), "data of a slow stream: " + w.la.lateCopySafe);
    }

    /**
     * Two manual-mode engines on recording layers, A connected to B's port 9 and both speaking Clatter's extension:
     * shuttled in 20 ms rounds until A's first message is acked.
     */
    private static final class Wired {
        final VirtualClock clock = new VirtualClock();
        final RecordingLayer la = new RecordingLayer(A);
        final RecordingLayer lb = new RecordingLayer(B.withPort(0));
        final MspEngine a = new MspEngine(la, MspConfig.defaults(), clock);
        final MspEngine b = new MspEngine(lb, MspConfig.defaults(), clock);
        final MspConnection conn;

        Wired(MspListener server) {
            b.listen(MspAddress.anyIdentity(9), server);
            conn = a.connect(A, B.withPort(9), new Peer(List.of(), true, new long[1]));
            assertEquals(MspConnection.SENT, conn.send(new byte[] {1}));
            for (int round = 0; round < 20 && !(conn.isExtended() && conn.inFlight() == 0); round++) {
                clock.advanceBy(20 * MS);
                a.processing(clock.nanos());
                shuttle(la, b, clock.nanos());
                b.processing(clock.nanos());
                shuttle(lb, a, clock.nanos());
            }
            assertTrue(conn.isExtended() && conn.inFlight() == 0, "the extension was not agreed: " + conn);
        }
    }

    private static void shuttle(RecordingLayer from, MspEngine to, long now) {
        List<RecordingLayer.Sent> batch = new ArrayList<>(from.sent);
        from.sent.clear();
        for (RecordingLayer.Sent sent : batch) {
            to.receive(now, sent.remote(), sent.local(), sent.bytes(), 0, sent.bytes().length);
        }
    }

    @Test
    void pausedReceiverHoldsTheSenderBack() {
        SimNet net = new SimNet(10);
        SimNet.Node a = net.node(1, MspConfig.defaults());
        SimNet.Node b = net.node(2, MspConfig.defaults());
        long[] clock = new long[1];
        MspConnection[] serverConn = new MspConnection[1];
        Peer server = new Peer(List.of(), true, clock);
        b.engine.listen(MspAddress.anyIdentity(9), conn -> {
            serverConn[0] = conn;
            conn.pauseReceiving();
            return server;
        });
        List<byte[]> msgs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            msgs.add(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        Peer client = new Peer(msgs, false, clock);
        client.start(a.engine.connect(a.identity, b.identity.withPort(9), client));
        net.scheduler.runFor(5 * SECOND);
        assertEquals(0, server.received.size());
        // Bounded by the ring: four windows (selectively acked packets buffered at the receiver leave the window).
        assertTrue(client.next < 4 * MspConfig.defaults().extendedWindow(), "sent " + client.next);
        serverConn[0].resumeReceiving();
        net.scheduler.runFor(60 * SECOND);
        assertTrue(Peer.sameMessages(msgs, server.received));
    }

    @Test
    void repeatedPauseAndResumeLikeASlowReader() {
        qt().withExamples(40).forAll(longs().all(), integers().between(0, 10), integers().between(1, 64))
                .checkAssert((seed, loss, limit) -> {
                    SimNet net = new SimNet(seed);
                    net.loss = loss / 100.0;
                    net.jitterNanos = 5 * MS;
                    SimNet.Node a = net.node(1, MspConfig.defaults());
                    SimNet.Node b = net.node(2, MspConfig.defaults());
                    long[] clock = new long[1];
                    List<byte[]> unread = new ArrayList<>();
                    List<byte[]> read = new ArrayList<>();
                    MspConnection[] sc = new MspConnection[1];
                    Peer server = new Peer(List.of(), true, clock) {
                        @Override
                        public void onData(MspConnection c, byte[] buf, int off, int len) {
                            unread.add(java.util.Arrays.copyOfRange(buf, off, off + len));
                            if (unread.size() > limit) {
                                c.pauseReceiving();
                            }
                        }
                    };
                    b.engine.listen(MspAddress.anyIdentity(9), conn -> {
                        sc[0] = conn;
                        return server;
                    });
                    List<byte[]> msgs = new ArrayList<>();
                    for (int i = 0; i < 600; i++) {
                        msgs.add(new byte[] {(byte) i, (byte) (i >> 8), 7});
                    }
                    Peer client = new Peer(msgs, false, clock);
                    client.start(a.engine.connect(a.identity, b.identity.withPort(9), client));
                    for (int step = 0; step < 20_000 && read.size() < msgs.size(); step++) {
                        net.scheduler.runFor(2 * MS);
                        // the slow reader takes a few, then lets delivery resume
                        for (int k = 0; k < 3 && !unread.isEmpty(); k++) {
                            read.add(unread.remove(0));
                        }
                        if (sc[0] != null && unread.size() <= limit / 2) {
                            sc[0].resumeReceiving();
                        }
                    }
                    assertTrue(Peer.sameMessages(msgs, read), "seed=" + seed + " loss=" + loss + " limit=" + limit
                            + " read " + read.size() + " client " + a.engine.counters() + " server "
                            + b.engine.counters());
                });
    }

    @Test
    void aThrowingHandlerIsCountedAndTheEngineCarriesOn() {
        SimNet net = new SimNet(11);
        SimNet.Node a = net.node(1, MspConfig.defaults());
        SimNet.Node b = net.node(2, MspConfig.defaults());
        long[] clock = new long[1];
        List<RuntimeException> errors = new ArrayList<>();
        b.engine.onError(errors::add);
        Peer server = new Peer(List.of(), true, clock) {
            @Override
            public void onData(MspConnection c, byte[] buf, int off, int len) {
                super.onData(c, buf, off, len);
                if (buf[off] == 2) {
                    throw new IllegalStateException("application bug");
                }
            }
        };
        b.engine.listen(MspAddress.anyIdentity(9), conn -> server);
        Peer client = new Peer(List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}), false, clock);
        client.start(a.engine.connect(a.identity, b.identity.withPort(9), client));
        net.scheduler.runFor(10 * SECOND);
        assertEquals(3, server.received.size());
        assertEquals(1, errors.size());
        assertEquals(1L, (long) b.engine.counters().get("engine.handler_errors"));
        assertEquals(MspCloseReason.NORMAL, client.reason);
    }

    @Test
    void arbitraryDatagramsNeverThrowAndUnknownStreamsGetStop() {
        qt().withExamples(500).forAll(longs().all(), integers().between(0, 64)).checkAssert((seed, count) -> {
            SplittableRandom r = new SplittableRandom(seed);
            VirtualClock clock = new VirtualClock();
            RecordingLayer layer = new RecordingLayer(B.withPort(0));
            MspEngine engine = new MspEngine(layer, MspConfig.defaults(), clock);
            Peer server = new Peer(List.of(new byte[] {1}), true, new long[1]);
            engine.listen(B, conn -> server);
            MspAddress[] peers = {A.withPort(300), A.withPort(301), A.withPort(302)};
            for (int i = 0; i < count; i++) {
                byte[] d = new byte[r.nextInt(40)];
                r.nextBytes(d);
                clock.advanceBy(r.nextLong(200 * MS));
                MspAddress from = peers[r.nextInt(peers.length)];
                int before = layer.sent.size();
                int kind = engine.receive(clock.nanos(), B, from, d, 0, d.length);
                if (kind > 0 && kind != MspHeader.KIND_STOP && (d[0] & MspHeader.FIRST) == 0
                        && engine.connectionCount() == 0) {
                    assertEquals(before + 1, layer.sent.size());
                    assertEquals(MspHeader.STOP, layer.last()[0] & MspHeader.STOP);
                }
                engine.processing(clock.nanos());
            }
            clock.advanceBy(60 * SECOND);
            engine.processing(clock.nanos());
            assertEquals(0, engine.connectionCount());
            long in = engine.counters().get("packets.in") + engine.counters().get("packets.malformed");
            assertEquals((long) count, in);
        });
    }

    private static byte[] fromHex(String hex, String text) {
        byte[] h = HexFormat.of().parseHex(hex);
        byte[] t = text.getBytes();
        byte[] r = new byte[h.length + t.length];
        System.arraycopy(h, 0, r, 0, h.length);
        System.arraycopy(t, 0, r, h.length, t.length);
        return r;
    }
}
