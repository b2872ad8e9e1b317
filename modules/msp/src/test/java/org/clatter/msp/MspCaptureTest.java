package org.clatter.msp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.clatter.core.time.VirtualClock;
import org.clatter.msp.codec.MspHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real servald MSP traffic of {@code shared/conformance/serval/serval-overlay.pcap}: the port-555
 * {@code msp listen}/{@code msp connect} exchange and the two Rhizome sync-keys streams on port 18.
 */
class MspCaptureTest {
    static ServalCapture capture;

    @BeforeAll
    static void read() throws Exception {
        Optional<Path> dir = ServalCapture.sharedServal();
        assumeTrue(dir.isPresent(), "shared/conformance/serval not found above " + System.getProperty("user.dir"));
        capture = new ServalCapture(dir.get());
    }

    private static List<ServalCapture.MspFrame> port(int p) {
        List<ServalCapture.MspFrame> l = new ArrayList<>();
        for (ServalCapture.MspFrame f : capture.frames) {
            if (p == 18 ? f.srcPort() == 18 && f.dstPort() == 18 : f.srcPort() == p || f.dstPort() == p) {
                l.add(f);
            }
        }
        return l;
    }

    @Test
    void everyCipheredFrameDecryptsAndTheCountsMatchTheCaptureReadme() {
        assertEquals(0, capture.undecryptable);
        assertEquals(8, port(555).size());
        assertEquals(139, port(18).size());
        MspHeader h = new MspHeader();
        for (ServalCapture.MspFrame f : capture.frames) {
            assertTrue(h.decode(f.msp(), 0, f.msp().length) > 0, "decodes: " + HexFormat.of().formatHex(f.msp()));
            assertFalse(h.has(MspHeader.CLATTER) || h.has(MspHeader.SACK), "servald never sets Clatter's bits");
        }
    }

    @Test
    void port555ExchangeIsTheDocumentedOne() {
        List<ServalCapture.MspFrame> l = port(555);
        MspHeader h = new MspHeader();
        for (ServalCapture.MspFrame f : l) {
            h.decode(f.msp(), 0, f.msp().length);
            System.out.printf("%.3f %s->%s %s%n", f.time() - l.get(0).time(), f.from() == 0 ? "A" : "B",
                    f.to() == 0 ? "A" : "B", h);
        }
        ServalCapture.MspFrame first = l.get(0);
        assertEquals(0, first.from());
        assertEquals(MspHeader.KIND_DATA, h.decode(first.msp(), 0, first.msp().length));
        assertEquals(MspHeader.FIRST, h.flags());
        assertEquals(0xFFFF, h.ack());
        assertEquals(0, h.seq());
        assertEquals("hello MSP from Alice\n", new String(first.msp(), 5, first.msp().length - 5));
        boolean replySeen = false;
        for (ServalCapture.MspFrame f : l) {
            h.decode(f.msp(), 0, f.msp().length);
            if (f.from() == 1 && h.kind() == MspHeader.KIND_DATA && h.payloadLength() > 0) {
                assertEquals(MspHeader.SHUTDOWN | MspHeader.ACK, h.flags());
                assertEquals(0, h.ack());
                assertEquals(0, h.seq());
                assertEquals("reply from Bob over MSP\n", new String(f.msp(), 5, h.payloadLength()));
                replySeen = true;
            }
        }
        assertTrue(replySeen);
        // The CLI ends: Alice's and Bob's msp commands exit after the shutdown exchange, no STOP.
        assertProgression(l, 0);
    }

    @Test
    void rhizomeStreamsOnPort18FollowTheSequenceAndAckRules() {
        List<ServalCapture.MspFrame> l = port(18);
        int full = 0;
        MspHeader h = new MspHeader();
        for (ServalCapture.MspFrame f : l) {
            h.decode(f.msp(), 0, f.msp().length);
            assertTrue(h.payloadLength() <= 1024);
            if (h.payloadLength() == 1024) {
                full++;
            }
        }
        assertTrue(full >= 39, "big.bin travels in 1024-byte MSP messages: " + full);
        // README: the two sync-keys streams each end with A's STOP answering B's keep-alive ack.
        assertProgression(l, 2);
    }

    /**
     * Per stream (a STOP ends one), per direction: data seqs start at 0 and grow by one (repeats are
     * retransmissions); acks never go backwards and never ack a seq the other side has not sent; the ack field is
     * 0xFFFF while ACK is clear; FIRST only until the sender has heard from the peer; at most 4 data packets
     * unacknowledged (servald's window).
     */
    static void assertProgression(List<ServalCapture.MspFrame> l, int expectedStops) {
        MspHeader h = new MspHeader();
        Map<Integer, int[]> st = new HashMap<>(); // from -> {maxSeq, lastAck, heardFromPeer, streams}
        int stops = 0;
        for (ServalCapture.MspFrame f : l) {
            int kind = h.decode(f.msp(), 0, f.msp().length);
            int[] me = st.computeIfAbsent(f.from(), k -> new int[] {-1, -1, 0});
            int[] peer = st.computeIfAbsent(f.to(), k -> new int[] {-1, -1, 0});
            String at = "t=" + f.time() + " from " + f.from() + " " + h;
            if (kind == MspHeader.KIND_STOP) {
                stops++;
                st.clear();
                continue;
            }
            if (h.has(MspHeader.FIRST)) {
                assertEquals(0, me[2], "FIRST after hearing from the peer: " + at);
            }
            if (h.has(MspHeader.ACK)) {
                assertTrue(peer[0] >= 0 && MspHeader.compareSeq(h.ack(), peer[0]) <= 0, "acks unsent data: " + at);
                assertTrue(me[1] < 0 || MspHeader.compareSeq(h.ack(), me[1]) >= 0, "ack went backwards: " + at);
                me[1] = h.ack();
            } else {
                assertEquals(0xFFFF, h.ack(), at);
            }
            if (kind == MspHeader.KIND_DATA) {
                if (me[0] < 0) {
                    assertEquals(0, h.seq(), "first seq is 0: " + at);
                    me[0] = 0;
                } else if (MspHeader.compareSeq(h.seq(), me[0]) > 0) {
                    assertEquals((me[0] + 1) & 0xFFFF, h.seq(), "seq grows by one: " + at);
                    me[0] = h.seq();
                }
                int unacked = peer[1] < 0 ? me[0] + 1 : (me[0] - peer[1]) & 0xFFFF;
                assertTrue(unacked <= 4, "window of 4 exceeded (" + unacked + "): " + at);
            }
            peer[2] = 1;
        }
        assertEquals(expectedStops, stops, "STOP packets");
    }

    @Test
    void aClatterEngineInServaldModeAnswersAlicesPacketsAsBobDid() {
        List<ServalCapture.MspFrame> l = port(555);
        MspAddress alice = MspAddress.of(capture.sid[0], l.get(0).srcPort());
        MspAddress bob = MspAddress.of(capture.sid[1], 555);
        VirtualClock clock = new VirtualClock();
        RecordingLayer layer = new RecordingLayer(bob.withPort(0));
        MspEngine engine = new MspEngine(layer, MspConfig.servaldOnly(), clock);
        Peer server = new Peer(List.of("reply from Bob over MSP\n".getBytes()), true, new long[1]) {
            @Override
            public void onData(MspConnection c, byte[] buf, int off, int len) {
                super.onData(c, buf, off, len);
                start(c); // Bob's msp listen sends its stdin and shuts down
            }
        };
        engine.listen(MspAddress.anyIdentity(555), c -> server);
        double t0 = l.get(0).time();
        MspHeader h = new MspHeader();
        for (ServalCapture.MspFrame f : l) {
            if (f.from() != 0) {
                continue;
            }
            clock.advanceTo(Math.max(clock.nanos(), (long) ((f.time() - t0) * 1e9)));
            engine.processing(clock.nanos());
            engine.receive(clock.nanos(), bob, alice, f.msp(), 0, f.msp().length);
            engine.processing(clock.nanos());
        }
        assertEquals(1, server.received.size());
        assertEquals("hello MSP from Alice\n", new String(server.received.get(0)));
        assertEquals(1, server.remoteShutdownCount);
        // Our first data packet is Bob's: SHUTDOWN|ACK, ack 0, seq 0, the reply.
        boolean sawReply = false;
        for (RecordingLayer.Sent s : layer.sent) {
            if (h.decode(s.bytes(), 0, s.bytes().length) == MspHeader.KIND_DATA && h.payloadLength() > 0) {
                assertEquals(MspHeader.SHUTDOWN | MspHeader.ACK, h.flags());
                assertEquals(0, h.ack());
                assertEquals(0, h.seq());
                sawReply = true;
            }
            assertFalse(h.has(MspHeader.CLATTER), "servald mode sends no Clatter bits");
        }
        assertTrue(sawReply);
    }
}
