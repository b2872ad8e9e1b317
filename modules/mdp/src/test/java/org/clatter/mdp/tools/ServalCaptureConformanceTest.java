package org.clatter.mdp.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.clatter.mdp.Identity;
import org.clatter.mdp.SharedFolder;
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
import org.clatter.mdp.keyring.KeyringDump;
import org.clatter.mdp.tools.FrameReport.Check;
import org.clatter.mdp.tools.FrameReport.Security;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conformance on the real servald capture ({@code shared/conformance/serval/serval-overlay.pcap}): every packet
 * parses, every crypted frame opens and every signature verifies with the dumped keys, the counts equal the
 * README's tables, and frames re-encode to the captured bytes.
 */
class ServalCaptureConformanceTest {
    static Crypto crypto;
    static List<Identity> keys;
    static byte[] pcapBytes;
    static List<PacketReport> packets = new ArrayList<>();
    static List<byte[]> datagrams = new ArrayList<>();
    static int records;
    static int tcpFrames;

    @BeforeAll
    static void decodeCapture() {
        crypto = TestCrypto.get();
        keys = new ArrayList<>(KeyringDump.parse(SharedFolder.readText("keyring_A.dump"), crypto));
        keys.addAll(KeyringDump.parse(SharedFolder.readText("keyring_B.dump"), crypto));
        pcapBytes = SharedFolder.read("serval-overlay.pcap");
        PcapReader pcap = PcapReader.of(pcapBytes);
        OverlayInspector inspector = new OverlayInspector(crypto, keys);
        while (pcap.next()) {
            records++;
            if (!pcap.isUdp()) {
                tcpFrames++;
                continue;
            }
            assertTrue(pcap.srcPort() == 4110 || pcap.dstPort() == 4110, "UDP not on the overlay port");
            byte[] d = new byte[pcap.payloadLength()];
            MemorySegment.copy(pcap.segment(), ValueLayout.JAVA_BYTE, pcap.payloadOffset(), d, 0, d.length);
            datagrams.add(d);
            packets.add(inspector.inspect(pcap.frameNumber(), pcap.segment(), pcap.payloadOffset(),
                    pcap.payloadLength()));
        }
        assertTrue(!pcap.damaged(), "pcap walk stopped at a damaged record");
        assertEquals(0L, inspector.counters().errors(), "decode errors: " + inspector.counters().snapshot());
    }

    static List<FrameReport> frames() {
        return packets.stream().flatMap(p -> p.frames().stream()).toList();
    }

    @Test
    void captureHasTheReadmesFrames() {
        assertEquals(768, records);
        assertEquals(728, packets.size());
        assertEquals(40, tcpFrames);
    }

    @Test
    void everyPacketAndFrameParses() {
        for (PacketReport p : packets) {
            assertEquals(DecodeResult.OK, p.result(), "packet " + p.packetNumber());
            assertTrue(p.sender().isPresent(), "sender of packet " + p.packetNumber());
            for (FrameReport f : p.frames()) {
                assertEquals(DecodeResult.OK, f.result(), "packet " + p.packetNumber() + " frame " + f.frameIndex()
                        + ": " + DecodeResult.name(f.result()));
                assertTrue(f.source().isPresent() && f.destination().isPresent(), "addresses of " + p.packetNumber());
            }
        }
    }

    @Test
    void packetCountsMatchTheReadme() {
        Map<String, Integer> byKind = new HashMap<>();
        for (PacketReport p : packets) {
            byKind.merge("v" + p.version() + (p.unicast() ? " unicast" : " broadcast"), 1, Integer::sum);
            if (p.version() == 0) {
                assertTrue(p.frames().isEmpty(), "v0 packets carry no frames");
            }
        }
        assertEquals(Map.of("v0 broadcast", 184, "v0 unicast", 15, "v1 broadcast", 6, "v1 unicast", 523), byKind);
        assertEquals(655, frames().size());
        assertEquals(655, packets.stream().filter(p -> p.version() == 1).mapToInt(p -> p.frames().size()).sum());
    }

    @Test
    void frameCountsByKindMatchTheReadme() {
        Map<FrameKind, Long> c = new HashMap<>();
        frames().forEach(f -> c.merge(f.kind(), 1L, Long::sum));
        assertEquals(4L, c.get(FrameKind.PLEASE_EXPLAIN));
        assertEquals(285L, c.get(FrameKind.LINK_STATE_UNICAST));
        assertEquals(28L, c.get(FrameKind.LINK_STATE_BROADCAST));
        assertEquals(37L, c.get(FrameKind.SYNC_KEYS_TREE));
        assertEquals(122L, c.get(FrameKind.RHIZOME_SYNC_BAR));
        assertEquals(4L, c.get(FrameKind.KEYMAP));
        assertEquals(14L, c.get(FrameKind.ECHO));
        assertEquals(2L, c.get(FrameKind.TRACE));
        assertEquals(12L, c.get(FrameKind.DNA_LOOKUP));
        assertEquals(139L, frames().stream().filter(f -> f.kind() == FrameKind.MSP && f.dstPort() == 18).count());
        assertEquals(8L, frames().stream()
                .filter(f -> f.kind() == FrameKind.MSP && (f.dstPort() == 555 || f.srcPort() == 555)).count());
        assertEquals(147L, c.get(FrameKind.MSP));
        assertEquals(10, c.size(), "no other kinds: " + c);
        // Echo: 5 crypted unicast pairs, 2 signed broadcast requests with crypted replies.
        assertEquals(2L, count(FrameKind.ECHO, Security.SIGNED));
        assertEquals(12L, count(FrameKind.ECHO, Security.CRYPTED));
        assertEquals(6L, count(FrameKind.DNA_LOOKUP, Security.SIGNED));
        assertEquals(6L, count(FrameKind.DNA_LOOKUP, Security.CRYPTED));
    }

    private static long count(FrameKind k, Security s) {
        return frames().stream().filter(f -> f.kind() == k && f.security() == s).count();
    }

    @Test
    void everyCryptedFrameOpensAndEverySignatureVerifies() {
        int crypted = 0;
        int signed = 0;
        for (FrameReport f : frames()) {
            if (f.security() == Security.CRYPTED) {
                crypted++;
                assertEquals(Check.PASS, f.opened(), "frame in packet " + f.packetNumber());
            }
            if (f.security() == Security.SIGNED) {
                signed++;
                assertEquals(Check.PASS, f.verified(), "frame in packet " + f.packetNumber());
                assertTrue(f.destination().orElseThrow().isBroadcast(), "signed frames are broadcasts");
            }
        }
        assertEquals(171, crypted);
        assertEquals(8, signed);
    }

    @Test
    void keymapRepliesCarryVerifiableSigningIds() {
        OverlayInspector checker = new OverlayInspector(crypto, keys);
        int requests = 0;
        int replies = 0;
        for (FrameReport f : frames()) {
            if (f.kind() != FrameKind.KEYMAP) {
                continue;
            }
            byte[] t = f.plaintext();
            assertEquals(0x03, t[0] & 0xff, "port 1 same");
            if (t.length == 2) {
                assertEquals(2, t[1]);
                requests++;
            } else {
                assertEquals(98, t.length);
                Sid source = f.source().orElseThrow();
                assertTrue(checker.keymapSignatureValid(t, 1, source), "reply signature over the raw SID");
                byte[] x = new byte[32];
                assertTrue(crypto.ed25519PublicToX25519(Arrays.copyOfRange(t, 2, 34), 0, x, 0));
                assertTrue(source.equalsBytes(x, 0), "SID = map(signpk)");
                replies++;
            }
        }
        assertEquals(2, requests);
        assertEquals(2, replies);
    }

    @Test
    void specExamplesAppearVerbatim() {
        HexFormat hex = HexFormat.of();
        assertArrayEquals(hex.parseHex("0001025d1600"), datagrams.get(0), "A's first broadcast tick");
        byte[] firstV1FromB = hex.parseHex("010120" + "57177bd2bc32057d226626722dd7aaa75519865d5bb7054071b4d8da508bc61c"
                + "01" + "85025d1660010000" + "0702000b2580410000000000000000");
        assertTrue(datagrams.stream().anyMatch(d -> Arrays.equals(d, firstV1FromB)), "first v1 packet B->A");
        FrameReport echo = frames().stream().filter(f -> f.kind() == FrameKind.ECHO && f.dstPort() == 7
                && f.security() == Security.CRYPTED).findFirst().orElseThrow();
        assertEquals("0e8102", hex.formatHex(echo.plaintext(), 0, 3), "echo request port header dst 7 src 257");
        assertEquals(15, echo.plaintext().length, "3 + 12-byte ping payload");
    }

    /** Every packet re-encodes from its decoded fields to the captured bytes. */
    @Test
    void packetsReencodeByteForByte() {
        OverlayPacketFlyweight packet = new OverlayPacketFlyweight();
        FrameFlyweight frame = new FrameFlyweight();
        FrameHeader header = new FrameHeader();
        OverlayPacketWriter writer = new OverlayPacketWriter();
        MemorySegment out = MemorySegment.ofArray(new byte[1500]);
        byte[] sender = new byte[32];
        for (byte[] d : datagrams) {
            MemorySegment seg = MemorySegment.ofArray(d);
            assertEquals(DecodeResult.OK, packet.wrap(seg, 0, d.length));
            int code = packet.senderCode();
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, packet.senderOffset() + 1, sender, 0,
                    AddressCodes.bodyLength(code));
            writer.wrap(out, 0, 1500);
            assertTrue(writer.begin(packet.version(), packet.encapsulation(), code, sender, 0, packet.unicast(),
                    packet.interfaceId(), packet.seq()));
            for (int r = frame.first(packet); r != DecodeResult.END; r = frame.next()) {
                assertEquals(DecodeResult.OK, r);
                header.clear().copyOf(frame);
                assertTrue(writer.appendFrame(header, seg, frame.payloadOffset(), frame.payloadLength()));
            }
            byte[] again = out.asSlice(0, writer.length()).toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(d, again, HexFormat.of().formatHex(d));
        }
    }

    /**
     * Payloads re-encode too: port headers, link-state records, Ed25519 signatures (deterministic) and crypto_box
     * with the captured nonce.
     */
    @Test
    void payloadsReencodeByteForByte() {
        OverlayPacketFlyweight packet = new OverlayPacketFlyweight();
        FrameFlyweight frame = new FrameFlyweight();
        FrameSecurity security = new FrameSecurity(crypto);
        PortHeader ports = new PortHeader();
        LinkStateRecordFlyweight rec = new LinkStateRecordFlyweight();
        Map<Sid, Identity> bySid = new HashMap<>();
        keys.forEach(k -> bySid.put(k.sid(), k));
        byte[] buf = new byte[2048];
        int sealed = 0;
        int signedCount = 0;
        int lsRecords = 0;
        int i = 0;
        for (PacketReport p : packets) {
            byte[] d = datagrams.get(i++);
            MemorySegment seg = MemorySegment.ofArray(d);
            packet.wrap(seg, 0, d.length);
            int fi = 0;
            for (int r = frame.first(packet); r == DecodeResult.OK; r = frame.next()) {
                FrameReport f = p.frames().get(fi++);
                byte[] wire = seg.asSlice(frame.payloadOffset(), frame.payloadLength()).toArray(ValueLayout.JAVA_BYTE);
                byte[] plain = f.plaintext();
                if (f.kind() == FrameKind.PLEASE_EXPLAIN) {
                    continue;
                }
                MemorySegment ps = MemorySegment.ofArray(plain);
                assertEquals(DecodeResult.OK, ports.read(ps, 0, plain.length));
                int n = PortHeader.write(ports.dst(), ports.src(), buf, 0);
                assertArrayEquals(Arrays.copyOf(plain, ports.length()), Arrays.copyOf(buf, n), "port header");
                if (f.security() == Security.CRYPTED) {
                    Identity sender = bySid.get(f.source().orElseThrow());
                    byte[] nonce = Arrays.copyOf(wire, 24);
                    assertTrue(security.seal(nonce, f.destination().orElseThrow(), sender.sid(), sender.boxSecret(),
                            plain, 0, plain.length, buf, 0));
                    assertArrayEquals(wire, Arrays.copyOf(buf, plain.length + FrameSecurity.BOX_OVERHEAD));
                    assertEquals(0, wire[0] & 0x80, "nonce bit 7 of byte 0 clear");
                    sealed++;
                } else if (f.security() == Security.SIGNED) {
                    Identity sender = bySid.get(f.source().orElseThrow());
                    int len = security.sign(sender.seed(), sender.signingId(), plain, 0, plain.length, buf, 0);
                    assertArrayEquals(wire, Arrays.copyOf(buf, len));
                    signedCount++;
                } else {
                    assertArrayEquals(wire, plain);
                }
                if (f.kind() == FrameKind.LINK_STATE_BROADCAST || f.kind() == FrameKind.LINK_STATE_UNICAST) {
                    for (int rr = rec.first(ps, ports.length(), plain.length); rr == DecodeResult.OK; rr = rec.next()) {
                        assertTrue(rec.exact(), "record parses exactly to its length");
                        byte[] recv = address(ps, rec.receiverOffset());
                        byte[] tx = rec.transmitterOffset() >= 0 ? address(ps, rec.transmitterOffset()) : new byte[33];
                        int len = LinkStateRecordWriter.write(buf, 0, rec.flags(), recv[0] & 0xff,
                                Arrays.copyOfRange(recv, 1, recv.length), rec.version(), tx[0] & 0xff,
                                Arrays.copyOfRange(tx, 1, tx.length), rec.interfaceId(), rec.ackSeq(), rec.ackMask(),
                                rec.dropRate());
                        byte[] orig = ps.asSlice(rec.recordOffset(), rec.length()).toArray(ValueLayout.JAVA_BYTE);
                        assertArrayEquals(orig, Arrays.copyOf(buf, len));
                        lsRecords++;
                    }
                }
            }
        }
        assertEquals(171, sealed);
        assertEquals(8, signedCount);
        assertTrue(lsRecords >= 313, "at least one record per link-state frame: " + lsRecords);
    }

    private static byte[] address(MemorySegment s, long off) {
        int code = s.get(ValueLayout.JAVA_BYTE, off) & 0xff;
        return s.asSlice(off, 1 + AddressCodes.bodyLength(code)).toArray(ValueLayout.JAVA_BYTE);
    }
}
