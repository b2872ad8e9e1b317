package org.clatter.rhizome.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.clatter.mdp.Identity;
import org.clatter.mdp.keyring.KeyringDump;
import org.clatter.mdp.tools.FrameKind;
import org.clatter.mdp.tools.FrameReport;
import org.clatter.mdp.tools.OverlayInspector;
import org.clatter.mdp.tools.PacketReport;
import org.clatter.mdp.tools.PcapReader;
import org.clatter.rhizome.Bar;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.PayloadHash;
import org.clatter.rhizome.RhizomeCrypto;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the port-18 traffic of {@code shared/conformance/serval/serval-overlay.pcap} (decoded with the MDP
 * module's pcap reader and overlay inspector): the tree messages against our trie model of each daemon, and the
 * MSP transfer messages against the spec's rules and against our engine's answers.
 */
class CaptureReplayTest {
    static final HexFormat HEX = HexFormat.of();
    static final Crypto CRYPTO = RhizomeCrypto.create();
    static String sidA;
    static String sidB;

    record Event(long micros, String from, boolean tree, byte[] data) {
    }

    static final List<Event> events = new ArrayList<>();
    /** In-order MSP messages per sender (deduplicated by MSP seq). */
    static final Map<String, TreeMap<Long, byte[]>> msp = new HashMap<>();
    static long firstPacketMicros = -1;

    static Path serval() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/conformance/serval"))) {
                return p.resolve("shared/conformance/serval");
            }
        }
        throw new AssertionError("shared/conformance/serval not found above " + Path.of("").toAbsolutePath()
                + "; check out the shared folder next to the repository");
    }

    @BeforeAll
    static void decode() throws Exception {
        Path dir = serval();
        List<Identity> keys = new ArrayList<>(KeyringDump.parse(Files.readString(dir.resolve("keyring_A.dump")), CRYPTO));
        keys.addAll(KeyringDump.parse(Files.readString(dir.resolve("keyring_B.dump")), CRYPTO));
        sidA = keys.get(0).sid().toString().toUpperCase();
        sidB = keys.get(1).sid().toString().toUpperCase();
        PcapReader pcap = PcapReader.of(Files.readAllBytes(dir.resolve("serval-overlay.pcap")));
        OverlayInspector inspector = new OverlayInspector(CRYPTO, keys);
        int epoch = 0;
        while (pcap.next()) {
            if (firstPacketMicros < 0) {
                firstPacketMicros = pcap.timestampMicros();
            }
            if (!pcap.isUdp()) {
                continue;
            }
            PacketReport p = inspector.inspect(pcap.frameNumber(), pcap.segment(), pcap.payloadOffset(), pcap.payloadLength());
            for (FrameReport f : p.frames()) {
                boolean tree = f.kind() == FrameKind.SYNC_KEYS_TREE;
                boolean transfer = f.kind() == FrameKind.MSP && f.dstPort() == 18;
                if (!tree && !transfer) {
                    continue;
                }
                String from = f.source().orElseThrow().toString().toUpperCase().equals(sidA) ? "A" : "B";
                byte[] pt = f.plaintext();
                assertEquals(0x25, pt[0] & 0xFF, "port header: port 18 to port 18");
                byte[] data = java.util.Arrays.copyOfRange(pt, 1, pt.length);
                if (tree) {
                    events.add(new Event(pcap.timestampMicros(), from, true, data));
                } else if (data.length == 1 && (data[0] & 0x08) != 0) {
                    epoch++; // STOP ends the stream; the next one starts again at seq 0
                } else if (data.length >= 5) {
                    long seq = ((long) epoch << 16) | (data[3] & 0xFF) | (data[4] & 0xFF) << 8;
                    byte[] msg = java.util.Arrays.copyOfRange(data, 5, data.length);
                    if (msp.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(seq, msg) == null) {
                        events.add(new Event(pcap.timestampMicros(), from, false, msg));
                    }
                }
            }
        }
    }

    @Test
    void treeMessagesAreWellFormed() {
        List<Event> trees = events.stream().filter(Event::tree).toList();
        assertEquals(37, trees.size(), "README: 37 sync-keys tree broadcasts");
        for (Event e : trees) {
            assertEquals(0, e.data.length % TreeRecord.BYTES);
            for (int i = 0; i < e.data.length; i += 10) {
                assertTrue(TreeRecord.decode(e.data, i).isWellFormed());
            }
        }
        assertEquals("80410000000000000000", HEX.formatHex(trees.get(0).data), "start-up: no keys");
    }

    @Test
    void transferMessagesFollowTheSpec() {
        Map<Integer, Integer> counts = new TreeMap<>();
        Map<Long, Bar> offered = new HashMap<>();
        Map<Long, Manifest> manifests = new HashMap<>();
        Map<Long, ByteArrayOutputStream> payloads = new HashMap<>();
        for (Event e : events) {
            if (e.tree) {
                continue;
            }
            TransferCodec.Decoded d = TransferCodec.decode(e.data, 0, e.data.length);
            assertTrue(d.error().isEmpty(), d.error().toString());
            for (TransferCodec.Message m : d.messages()) {
                counts.merge(m.type(), 1, Integer::sum);
                switch (m.type()) {
                    case TransferCodec.SEND_BAR -> offered.put(m.key(), Bar.wrap(m.data(), 0));
                    case TransferCodec.REQ_MANIFEST -> assertEquals(offered.get(m.key()).sizeByte(), m.rank(), "rank = BAR size byte");
                    case TransferCodec.SEND_MANIFEST -> {
                        Manifest man = Manifest.parse(m.data());
                        assertEquals(m.key(), SyncEngine.key(man), "hash prefix = key");
                        assertTrue(man.verify(CRYPTO));
                        assertEquals(offered.get(m.key()), man.bar(), "BAR equals the offered one");
                        manifests.put(m.key(), man);
                    }
                    case TransferCodec.REQ_PAYLOAD -> {
                        Manifest man = manifests.get(m.key());
                        assertEquals(0L, m.offset());
                        assertEquals(man.filesize(), m.length());
                        assertEquals(Bar.sizeLog2(man.filesize()) + (man.recipient().isPresent() ? 0 : 2), m.rank(), "payload rank");
                    }
                    case TransferCodec.SEND_PAYLOAD -> {
                        assertTrue(m.data().length <= 1015);
                        payloads.computeIfAbsent(m.key(), k -> new ByteArrayOutputStream()).writeBytes(m.data());
                    }
                    default -> throw new AssertionError("unexpected type " + m.type());
                }
            }
        }
        assertEquals(Map.of(0x05, 6, 0x0A, 6, 0x09, 6, 0x0E, 6, 0x0D, 45), counts);
        assertEquals(6, payloads.size());
        payloads.forEach((k, p) -> assertEquals(manifests.get(k).filehash().orElseThrow(),
                PayloadHash.of(new ByteArrayInputStream(p.toByteArray())), "reassembled payload matches filehash"));
    }

    @Test
    void bobsEngineRequestsTheMeshmsPlyWithServaldsRank() throws Exception {
        Manifest ply = Manifest.parse(Files.readAllBytes(serval().resolve("meshms.rhm")));
        SyncEngine bob = new SyncEngine(new MemorySyncStore(CRYPTO), 0, java.util.Set.of(sidB));
        long key = SyncEngine.key(ply);
        bob.onTransfer("A", TransferCodec.encode(TransferCodec.Message.sendManifest(key, ply.toBytes())), 0);
        byte[] req = bob.pollTransfers("A", 1, 4).getFirst();
        byte[] captured = null;
        for (byte[] m : msp.get("B").values()) {
            for (TransferCodec.Message t : TransferCodec.decode(m, 0, m.length).messages()) {
                if (t.type() == TransferCodec.REQ_PAYLOAD && t.key() == key) {
                    captured = TransferCodec.encode(t);
                }
            }
        }
        assertArrayEquals(captured, req, "REQ_PAYLOAD rank 5 for a 36-byte ply addressed to Bob");
    }

    @Test
    void helloTxtTransferIsReproducedByTheEngine() throws Exception {
        Manifest hello = Manifest.parse(Files.readAllBytes(serval().resolve("hello.manifest")));
        byte[] helloTxt = Files.readAllBytes(serval().resolve("hello.txt"));
        MemorySyncStore storeA = new MemorySyncStore(CRYPTO);
        storeA.add(hello, helloTxt);
        MemorySyncStore storeB = new MemorySyncStore(CRYPTO);
        SyncEngine a = new SyncEngine(storeA, 0);
        SyncEngine b = new SyncEngine(storeB, 0);
        List<byte[]> capturedAtoB = new ArrayList<>(msp.get("A").values());
        List<byte[]> capturedBtoA = new ArrayList<>(msp.get("B").values());
        // A's leaf reaches B; B answers "00 40 3215…", which makes A offer
        byte[] fromA = a.pollTreeMessage(0).orElseThrow();
        assertEquals("80403215472bf4e9926d", HEX.formatHex(fromA));
        b.onTreeMessage("A", fromA, 1);
        byte[] fromB = b.pollTreeMessage(10).orElseThrow();
        assertEquals("00403215472bf4e9926d", HEX.formatHex(fromB));
        a.onTreeMessage("B", fromB, 11);
        List<byte[]> offer = a.pollTransfers("B", 12, 4);
        assertArrayEquals(capturedAtoB.get(0), offer.get(0), "SEND_BAR as servald sent it");
        b.onTransfer("A", offer.get(0), 13);
        List<byte[]> req = b.pollTransfers("A", 14, 4);
        assertArrayEquals(capturedBtoA.get(0), req.get(0), "REQ_MANIFEST as servald sent it");
        a.onTransfer("B", req.get(0), 15);
        List<byte[]> man = a.pollTransfers("B", 16, 4);
        assertArrayEquals(capturedAtoB.get(1), man.get(0), "SEND_MANIFEST as servald sent it");
        b.onTransfer("A", man.get(0), 17);
        List<byte[]> reqP = b.pollTransfers("A", 18, 4);
        assertArrayEquals(capturedBtoA.get(1), reqP.get(0), "REQ_PAYLOAD as servald sent it");
        a.onTransfer("B", reqP.get(0), 19);
        List<byte[]> data = a.pollTransfers("B", 20, 4);
        assertArrayEquals(capturedAtoB.get(2), data.get(0), "SEND_PAYLOAD as servald sent it");
        b.onTransfer("A", data.get(0), 21);
        assertEquals(1L, (long) b.counters().get("bundles.received"));
        assertEquals("80403215472bf4e9926d", HEX.formatHex(b.pollTreeMessage(30).orElseThrow()), "B's new root");
    }

    /**
     * Feeds our trie model of each daemon the tree messages it received and its key additions (own bundles at
     * their creation, received ones when their last payload chunk arrived), in capture order, and compares each
     * tree message the daemon sent with what the model builds at that moment.
     */
    @Test
    void treeMessagesReplay() throws Exception {
        Map<String, SyncTree> model = Map.of("A", new SyncTree(new SyncTreeTest.Events()), "B", new SyncTree(new SyncTreeTest.Events()));
        long start = firstPacketMicros;
        // own bundles: hello.txt (A, 15.9 s), A's ply (30.1 s), big.bin (B, 30.2 s), B's ply (30.8 s) at the README's
        // times; each daemon stored its "private" bundle just after the ply, after one tree message went out (the
        // capture shows a root summary of the ply alone first; servald's logs of the run are not in shared/)
        TreeMap<Long, List<Object[]>> adds = new TreeMap<>();
        addAt(adds, start + 15_900_000, "A", 0x3215472bf4e9926dL);
        addAt(adds, start + 30_100_000, "A", 0x65f15b4dd259f293L);
        Map<Integer, Object[]> afterEvent = new HashMap<>();
        afterEvent.put(firstTreeAfter("A", start + 30_100_000), new Object[] {"A", 0x69189ac4e64835c2L});
        addAt(adds, start + 30_200_000, "B", 0xb4f6d56670844a5dL);
        addAt(adds, start + 30_800_000, "B", 0x5ca9ce5203f10bbcL);
        afterEvent.put(firstTreeAfter("B", start + 30_800_000), new Object[] {"B", 0xa1b48d98749bdde2L});
        Map<Long, Long> remaining = new HashMap<>();
        int sent = 0;
        int matched = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            Object[] late = i > 0 ? afterEvent.get(i - 1) : null;
            if (late != null) {
                model.get((String) late[0]).addKey((Long) late[1]);
            }
            while (!adds.isEmpty() && adds.firstKey() <= e.micros) {
                for (Object[] a : adds.pollFirstEntry().getValue()) {
                    model.get((String) a[0]).addKey((Long) a[1]);
                }
            }
            String to = e.from.equals("A") ? "B" : "A";
            if (e.tree) {
                sent++;
                byte[] built = TreeRecord.encodeMessage(model.get(e.from).buildMessage(TreeRecord.MAX_PER_MESSAGE));
                if (java.util.Arrays.equals(built, e.data)) {
                    matched++;
                } else {
                    mismatches.add(String.format("%.3f %s sent %s, model %s", (e.micros - start) / 1e6, e.from,
                            HEX.formatHex(e.data), HEX.formatHex(built)));
                }
                model.get(to).receive(e.from, e.data, 0, e.data.length);
            } else {
                for (TransferCodec.Message m : TransferCodec.decode(e.data, 0, e.data.length).messages()) {
                    if (m.type() == TransferCodec.SEND_MANIFEST) {
                        remaining.put(m.key(), Manifest.parse(m.data()).filesize());
                    } else if (m.type() == TransferCodec.SEND_PAYLOAD) {
                        long left = remaining.merge(m.key(), (long) -m.data().length, Long::sum);
                        if (left == 0) {
                            model.get(to).addKey(m.key());
                        }
                    }
                }
            }
        }
        System.out.println("tree messages reproduced byte for byte: " + matched + " of " + sent);
        mismatches.forEach(System.out::println);
        assertEquals(sent, matched, matched + " of " + sent + " reproduced; mismatches: " + mismatches);
    }

    private static int firstTreeAfter(String who, long micros) {
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.tree && e.from.equals(who) && e.micros >= micros) {
                return i;
            }
        }
        throw new AssertionError("no tree message from " + who + " after " + micros);
    }

    private static void addAt(TreeMap<Long, List<Object[]>> adds, long t, String who, long key) {
        adds.computeIfAbsent(t, k -> new ArrayList<>()).add(new Object[] {who, key});
    }
}
