package org.clatter.rhizome.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two SQLite stores synchronised by two engines; the transfer stream breaks in the middle of a large payload. */
class StoreSyncTest {

    static Set<String> keys(RhizomeStore s) {
        Set<String> out = new HashSet<>();
        s.syncKeys().forEach(k -> out.add(java.util.HexFormat.of().formatHex(k)));
        return out;
    }

    /** Runs two engines over reliable links until both stores hold the same keys. */
    static void syncUntilEqual(SyncEngine a, SyncEngine b, RhizomeStore sa, RhizomeStore sb, long from) {
        EnginePair pair = new EnginePair(a, b);
        for (long t = from; t < from + 60_000; t += EnginePair.STEP_MS) {
            pair.step(t);
            if (t % 100 == 0 && keys(sa).equals(keys(sb))) {
                return;
            }
        }
        throw new AssertionError("no convergence: " + a.counters() + " / " + b.counters());
    }

    @Test
    void journalUpdateSendsOnlyTheNewBytes(@TempDir Path dir) {
        try (RhizomeStore sa = RhizomeStore.open(dir.resolve("a")); RhizomeStore sb = RhizomeStore.open(dir.resolve("b"))) {
            RhizomeIdentity alice = RhizomeIdentity.generate(sa.crypto());
            RhizomeIdentity bob = RhizomeIdentity.generate(sa.crypto());
            org.clatter.rhizome.meshms.MeshMs ms = new org.clatter.rhizome.meshms.MeshMs(sa);
            Manifest v1 = ms.send(alice, bob.sidHex(), "x".repeat(3000), 1);
            SyncEngine a = new SyncEngine(new RhizomeSyncStore(sa), 0);
            SyncEngine b = new SyncEngine(new RhizomeSyncStore(sb), 0);
            syncUntilEqual(a, b, sa, sb, 0);
            long first = b.counters().get("transfer.rx.payload_bytes");
            assertEquals(v1.filesize(), first);
            Manifest v2 = ms.send(alice, bob.sidHex(), "and one more", 2);
            a.bundleAdded(v2, 100_000);
            syncUntilEqual(a, b, sa, sb, 100_000);
            assertEquals(v2.version(), sb.manifest(v2.idHex()).orElseThrow().version());
            assertEquals(v2.filesize() - v1.filesize(), b.counters().get("transfer.rx.payload_bytes") - first,
                    "only the appended bytes crossed");
            assertEquals("and one more", new org.clatter.rhizome.meshms.MeshMs(sb).messages(bob, alice.sidHex()).getLast().text());
        }
    }

    @Test
    void interruptedTransferResumesWhereItStopped(@TempDir Path dir) {
        Random r = new Random(7);
        try (RhizomeStore sa = RhizomeStore.open(dir.resolve("a")); RhizomeStore sb = RhizomeStore.open(dir.resolve("b"))) {
            RhizomeIdentity alice = RhizomeIdentity.generate(sa.crypto());
            long lacked = 0;
            for (int i = 0; i < 8; i++) {
                byte[] p = new byte[i == 0 ? 60_000 : r.nextInt(3000)];
                r.nextBytes(p);
                Manifest m = sa.add(Map.of("service", "file", "name", "a" + i), alice, BundleKeys.generate(sa.crypto()), new ByteArrayInputStream(p), 1);
                lacked += m.filesize();
            }
            byte[] q = new byte[500];
            r.nextBytes(q);
            sb.add(Map.of("service", "file", "name", "b0"), alice, BundleKeys.generate(sb.crypto()), new ByteArrayInputStream(q), 1);
            SyncEngine a = new SyncEngine(new RhizomeSyncStore(sa), 0);
            SyncEngine b = new SyncEngine(new RhizomeSyncStore(sb), 0);
            ArrayDeque<byte[]> toA = new ArrayDeque<>();
            ArrayDeque<byte[]> toB = new ArrayDeque<>();
            boolean broken = false;
            long t = 0;
            for (; t < 60_000 && !(t % 100 == 0 && t > 0 && keys(sa).equals(keys(sb))); t += 5) {
                a.pollTreeMessage(t).ifPresent(m -> b.onTreeMessage("A", m, 0));
                b.pollTreeMessage(t).ifPresent(m -> a.onTreeMessage("B", m, 0));
                toB.addAll(a.pollTransfers("B", t, 4));
                toA.addAll(b.pollTransfers("A", t, 4));
                if (!broken && b.counters().getOrDefault("transfer.rx.payload_bytes", 0L) > 30_000) {
                    broken = true; // the link drops: in-flight messages are lost, both sides see the stream fail
                    toA.clear();
                    toB.clear();
                    a.streamFailed("B");
                    b.streamFailed("A");
                    continue;
                }
                while (!toB.isEmpty()) {
                    b.onTransfer("A", toB.poll(), t);
                }
                while (!toA.isEmpty()) {
                    a.onTransfer("B", toA.poll(), t);
                }
            }
            assertTrue(broken);
            assertEquals(keys(sa), keys(sb), "converged after " + t + " ms: " + b.counters());
            assertEquals(9, sa.count());
            assertEquals(9, sb.count());
            assertEquals(1L, (long) b.counters().getOrDefault("transfer.resumed", 0L));
            assertEquals(lacked, (long) b.counters().get("transfer.rx.payload_bytes"),
                    "every payload byte crossed exactly once: the big one resumed where it stopped");
        }
    }
}
