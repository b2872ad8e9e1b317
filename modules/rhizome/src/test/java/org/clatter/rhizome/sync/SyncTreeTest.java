package org.clatter.rhizome.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree records of the capture's worked example ({@code serval-rhizome-sync.md} §3, §19). */
class SyncTreeTest {
    static final long HELLO = 0x3215472bf4e9926dL;
    static final long PLY_A = 0x65f15b4dd259f293L;
    static final long PRIVATE_A = 0x69189ac4e64835c2L;

    static final class Events implements SyncListener {
        final List<String> log = new ArrayList<>();

        @Override
        public void peerLacks(String peer, long key) {
            log.add("lacks " + Long.toHexString(key));
        }

        @Override
        public void peerHas(String peer, long key) {
            log.add("has " + Long.toHexString(key));
        }

        @Override
        public void peerNowHas(String peer, long key) {
            log.add("nowhas " + Long.toHexString(key));
        }
    }

    static String hex(List<TreeRecord> rs) {
        return HexFormat.of().formatHex(TreeRecord.encodeMessage(rs));
    }

    @Test
    void emptyTreeSendsNoKeysRecord() {
        assertEquals("80410000000000000000", hex(new SyncTree(new Events()).buildMessage(116)));
    }

    @Test
    void rootSummariesOfTheCapture() {
        SyncTree a = new SyncTree(new Events());
        a.addKey(HELLO);
        assertEquals("80403215472bf4e9926d", hex(List.of(a.root())));
        a.addKey(PLY_A);
        assertEquals("800157e41c6626b060fe", hex(List.of(a.root())));
        a.addKey(PRIVATE_A);
        assertEquals("80013efc86a2c0f8553c", hex(List.of(a.root())));
    }

    @Test
    void helloTxtExchangeOfTheCapture() {
        Events ea = new Events();
        Events eb = new Events();
        SyncTree a = new SyncTree(ea);
        SyncTree b = new SyncTree(eb);
        a.addKey(HELLO);
        byte[] fromA = TreeRecord.encodeMessage(a.buildMessage(116));
        b.receive("A", fromA, 0, fromA.length);
        byte[] fromB = TreeRecord.encodeMessage(b.buildMessage(116));
        assertEquals("00403215472bf4e9926d", HexFormat.of().formatHex(fromB), "B: I lack it, you have it");
        assertEquals(List.of("has 3215472bf4e9926d"), eb.log);
        a.receive("B", fromB, 0, fromB.length);
        assertEquals(List.of("lacks 3215472bf4e9926d"), ea.log, "A offers hello.txt");
        b.addKey(HELLO);
        byte[] root = TreeRecord.encodeMessage(b.buildMessage(116));
        assertEquals("80403215472bf4e9926d", HexFormat.of().formatHex(root));
        a.receive("B", root, 0, root.length);
        assertEquals(List.of("lacks 3215472bf4e9926d", "nowhas 3215472bf4e9926d"), ea.log);
    }

    @Test
    void recordCodecRoundTrips() {
        qt().forAll(integers().between(0, 127), integers().between(0, 255), longs().all(), integers().between(0, 1))
                .checkAssert((m, p, v, h) -> {
                    TreeRecord r = new TreeRecord(h == 1, m, p, v);
                    byte[] b = new byte[10];
                    r.encode(b, 0);
                    assertEquals(r, TreeRecord.decode(b, 0));
                });
    }

    @Test
    void arbitraryTreeMessagesNeverCrash() {
        qt().forAll(lists().of(longs().all()).ofSizeBetween(0, 20), lists().of(integers().between(0, 255)).ofSizeBetween(0, 120))
                .checkAssert((keys, bytes) -> {
                    SyncTree t = new SyncTree(new Events());
                    keys.forEach(t::addKey);
                    byte[] msg = new byte[bytes.size()];
                    for (int i = 0; i < msg.length; i++) {
                        msg[i] = (byte) (int) bytes.get(i);
                    }
                    SyncTree.Received r = t.receive("P", msg, 0, msg.length);
                    assertTrue(r != null);
                    assertTrue(!t.buildMessage(116).isEmpty());
                });
    }

    @Test
    void insertAndRemoveKeepSummariesConsistent() {
        qt().forAll(lists().of(longs().all()).ofSizeBetween(1, 60)).checkAssert(keys -> {
            SyncTree t = new SyncTree(new Events());
            List<Long> distinct = keys.stream().distinct().toList();
            distinct.forEach(t::addKey);
            long xor = 0;
            for (long k : distinct) {
                xor ^= k;
            }
            TreeRecord root = t.root();
            long pm = SyncTree.prefixMask(root.prefixLen());
            if (distinct.size() > 1) {
                assertEquals(xor & ~pm, root.value() & ~pm, "root summary is the XOR of all keys below its prefix");
            } else {
                assertEquals((long) distinct.getFirst(), root.value());
            }
            assertEquals(distinct.size(), t.size());
        });
    }
}
