package org.clatter.rhizome.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.MdpNode;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.meshms.MeshMs;
import org.clatter.spi.crypto.Crypto;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.SimNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RhizomeNode}s on {@code MdpNode.simulated} nodes in a line on a lossy simulated network: tree messages as
 * port-18 broadcasts, transfers over MSP; bundles cross a middle node that stores and forwards them.
 */
class RhizomeNodeSimTest {
    static final Crypto CRYPTO = MdpCrypto.load();
    static final long SECOND = 1_000_000_000L;

    /** Nodes in a line, each with its own store and keyring identity. */
    static final class Line implements AutoCloseable {
        final VirtualScheduler scheduler = new VirtualScheduler();
        final SimNetwork net;
        final List<String> names = new ArrayList<>();
        final List<MdpNode> nodes = new ArrayList<>();
        final List<RhizomeStore> stores = new ArrayList<>();
        final List<RhizomeIdentity> ids = new ArrayList<>();
        final List<RhizomeNode> rhizome = new ArrayList<>();
        final long seed;

        Line(long seed, int n, double loss, Path dir) {
            this.seed = seed;
            net = new SimNetwork(scheduler, seed);
            SplittableRandom r = new SplittableRandom(seed ^ 0x5eedL);
            for (int i = 0; i < n; i++) {
                String name = String.valueOf((char) ('A' + i));
                names.add(name);
                byte[] s = new byte[32];
                r.nextBytes(s);
                byte[] rs = new byte[32];
                r.nextBytes(rs);
                Identity id = Identity.fromSeed(CRYPTO, s, rs, "", name);
                nodes.add(MdpNode.simulated(CRYPTO, List.of(id), r.nextLong(), net, name));
                RhizomeStore store = RhizomeStore.open(dir.resolve(name));
                stores.add(store);
                ids.add(RhizomeIdentity.fromSeed(s, rs, store.crypto()));
                assertEquals(id.sid().toString(), ids.get(i).sidHex(), "one seed, one SID for MDP and Rhizome");
            }
            LinkProfile p = LinkProfile.ideal().withLatency(Duration.ofMillis(5)).withLoss(loss)
                    .withJitter(Duration.ofMillis(2));
            for (int i = 0; i + 1 < n; i++) {
                net.link(names.get(i), names.get(i + 1), p);
            }
            nodes.forEach(MdpNode::start);
            for (int i = 0; i < n; i++) {
                rhizome.add(RhizomeNode.start(nodes.get(i), stores.get(i), scheduler));
            }
        }

        Manifest addFile(int at, int size, SplittableRandom r) {
            byte[] p = new byte[size];
            r.nextBytes(p);
            RhizomeStore s = stores.get(at);
            Manifest m = s.add(Map.of("service", "file", "name", "f" + r.nextInt(1_000_000)), ids.get(at),
                    BundleKeys.generate(s.crypto()), new ByteArrayInputStream(p), 1);
            rhizome.get(at).bundleAdded(m);
            return m;
        }

        /** Runs until {@code done} (checked every virtual 100 ms) or {@code limitSeconds} pass; returns done. */
        boolean runUntil(BooleanSupplier done, int limitSeconds) {
            for (int i = 0; i < limitSeconds * 10; i++) {
                scheduler.runFor(SECOND / 10);
                if (done.getAsBoolean()) {
                    return true;
                }
            }
            return false;
        }

        boolean holds(int at, Manifest m) {
            return stores.get(at).manifest(m.idHex()).map(x -> x.version() == m.version()).orElse(false)
                    && stores.get(at).payload(m.idHex(), 0).isPresent();
        }

        Set<String> keys(int at) {
            Set<String> out = new HashSet<>();
            stores.get(at).syncKeys().forEach(k -> out.add(HexFormat.of().formatHex(k)));
            return out;
        }

        String why() {
            StringBuilder b = new StringBuilder("seed=" + seed);
            for (int i = 0; i < nodes.size(); i++) {
                b.append("\n ").append(names.get(i)).append(' ').append(stores.get(i).count()).append(" bundles ")
                        .append(rhizome.get(i).counters());
            }
            return b.toString();
        }

        @Override
        public void close() {
            rhizome.forEach(RhizomeNode::close);
            nodes.forEach(MdpNode::close);
            stores.forEach(RhizomeStore::close);
        }
    }

    @Test
    void twoNodesExchangeBundlesBothWaysUnderLoss(@TempDir Path dir) {
        for (long seed : new long[] {1, 2}) {
            SplittableRandom r = new SplittableRandom(seed);
            try (Line l = new Line(seed, 2, 0.1, dir.resolve("s" + seed))) {
                List<Manifest> atA = List.of(l.addFile(0, 100, r), l.addFile(0, 20_000, r), l.addFile(0, 0, r));
                Manifest atB = l.addFile(1, 3000, r);
                boolean ok = l.runUntil(() -> atA.stream().allMatch(m -> l.holds(1, m)) && l.holds(0, atB), 120);
                assertTrue(ok, "both stores converge: " + l.why());
                assertEquals(l.keys(0), l.keys(1), l.why());
                assertTrue(l.rhizome.get(0).counters().get("tree.tx") > 0, l.why());
                assertEquals(4L, l.stores.get(0).count(), l.why());
                assertEquals(4L, l.stores.get(1).count(), l.why());
                // the streams go idle and shut down; a later bundle opens a new one
                l.scheduler.runFor(3 * RhizomeNode.IDLE_CLOSE_MS * 1_000_000L);
                assertTrue(l.rhizome.get(0).counters().getOrDefault("streams.closed", 0L)
                        + l.rhizome.get(1).counters().getOrDefault("streams.closed", 0L) >= 1, l.why());
                Manifest later = l.addFile(1, 5000, r);
                assertTrue(l.runUntil(() -> l.holds(0, later), 60), "a new stream after the idle close: " + l.why());
            }
        }
    }

    @Test
    void aManifestOfTheLargestSyncableSizeCrosses(@TempDir Path dir) {
        // servald offers manifests up to 1015 bytes (1 + 8 + manifest in one 1,024-byte message): ours must too
        SplittableRandom r = new SplittableRandom(7);
        try (Line l = new Line(7, 2, 0.05, dir)) {
            RhizomeStore s = l.stores.get(0);
            BundleKeys keys = BundleKeys.generate(s.crypto());
            byte[] payload = new byte[700];
            r.nextBytes(payload);
            int probe = s.add(Map.of("service", "file", "name", "x"), l.ids.get(0), keys,
                    new ByteArrayInputStream(payload), 1).length();
            String name = "x".repeat(1 + Manifest.MAX_SYNC_BYTES - probe);
            Manifest big = s.add(Map.of("service", "file", "name", name), l.ids.get(0), keys,
                    new ByteArrayInputStream(payload), 2);
            assertEquals(Manifest.MAX_SYNC_BYTES, big.length(), "the manifest is exactly the largest servald syncs");
            l.rhizome.get(0).bundleAdded(big);
            assertTrue(l.runUntil(() -> l.holds(1, big), 60), "the largest syncable manifest crossed: " + l.why());
        }
    }

    @Test
    void threeNodesInALineCarryBundlesAndAMeshMsMessageAcrossTheMiddle(@TempDir Path dir) {
        for (long seed : new long[] {11, 12, 13}) {
            threeNodes(seed, dir.resolve("s" + seed));
        }
    }

    private static void threeNodes(long seed, Path dir) {
        SplittableRandom r = new SplittableRandom(seed);
        try (Line l = new Line(seed, 3, 0.1, dir)) {
            List<Manifest> files = List.of(l.addFile(0, 500, r), l.addFile(0, 12_000, r));
            Manifest ply = new MeshMs(l.stores.get(0)).send(l.ids.get(0), l.ids.get(2).sidHex(), "hello C, from A",
                    1_700_000_000L);
            l.rhizome.get(0).bundleAdded(ply);
            boolean ok = l.runUntil(() -> files.stream().allMatch(m -> l.holds(2, m)) && l.holds(2, ply), 180);
            assertTrue(ok, "A's bundles reach C through B: " + l.why());
            files.forEach(m -> assertTrue(l.holds(1, m), "B stored what it forwarded " + l.why()));
            List<MeshMs.Message> got = new MeshMs(l.stores.get(2)).messages(l.ids.get(2), l.ids.get(0).sidHex());
            assertEquals(1, got.size(), l.why());
            assertEquals("hello C, from A", got.getFirst().text());
            assertFalse(got.getFirst().sentByMe());
            // tree messages have TTL 1: C learnt everything from B, which imported all three bundles itself
            assertTrue(l.rhizome.get(1).counters().getOrDefault("sync.bundles.received", 0L) >= 3, l.why());
        }
    }

    @Test
    void middleNodeAwayAndBackStoresAndForwardsWhilePartitioned(@TempDir Path dir) {
        long seed = 23;
        SplittableRandom r = new SplittableRandom(seed);
        try (Line l = new Line(seed, 3, 0.05, dir)) {
            Manifest first = l.addFile(0, 2000, r);
            assertTrue(l.runUntil(() -> l.holds(2, first), 120), "the line works before the partition: " + l.why());
            // B goes away: no links at all
            l.net.cut("A", "B");
            l.net.cut("B", "C");
            Manifest whileAway = l.addFile(0, 8000, r);
            Manifest ply = new MeshMs(l.stores.get(0)).send(l.ids.get(0), l.ids.get(2).sidHex(), "sent while B was away",
                    1_700_000_100L);
            l.rhizome.get(0).bundleAdded(ply);
            l.scheduler.runFor(30 * SECOND);
            assertFalse(l.holds(1, whileAway), "B is away: " + l.why());
            assertFalse(l.holds(2, whileAway), "C has no path: " + l.why());
            // B comes back next to A only, picks the bundles up
            l.net.restore("A", "B");
            assertTrue(l.runUntil(() -> l.holds(1, whileAway) && l.holds(1, ply), 120), "B picks up from A: " + l.why());
            // then B moves next to C (A is gone): B alone carries the bundles to C
            l.net.cut("A", "B");
            l.net.restore("B", "C");
            assertTrue(l.runUntil(() -> l.holds(2, whileAway) && l.holds(2, ply), 120),
                    "B forwards to C while A is unreachable: " + l.why());
            List<MeshMs.Message> got = new MeshMs(l.stores.get(2)).messages(l.ids.get(2), l.ids.get(0).sidHex());
            assertEquals("sent while B was away", got.getLast().text(), l.why());
        }
    }

    @Test
    void anyLineOfThreeUnderAnyLossConvergesBothWays(@TempDir Path dir) {
        int[] run = new int[1];
        org.quicktheories.QuickTheory.qt().withExamples(40).forAll(
                org.quicktheories.generators.SourceDSL.longs().all(),
                org.quicktheories.generators.SourceDSL.integers().between(0, 30)).checkAssert((seed, loss) -> {
            SplittableRandom r = new SplittableRandom(seed);
            try (Line l = new Line(seed, 3, loss / 100.0, dir.resolve("run" + run[0]++))) {
                List<Manifest> fromA = List.of(l.addFile(0, r.nextInt(20_000), r), l.addFile(0, r.nextInt(3000), r));
                Manifest fromC = l.addFile(2, r.nextInt(20_000), r);
                boolean ok = l.runUntil(() -> fromA.stream().allMatch(m -> l.holds(2, m)) && l.holds(0, fromC), 300);
                assertTrue(ok, "loss=" + loss + "% " + l.why());
                assertEquals(l.keys(0), l.keys(2), "loss=" + loss + "% " + l.why());
                assertEquals(l.keys(0), l.keys(1), "B holds everything it forwarded, loss=" + loss + "% " + l.why());
            }
        });
    }
}
