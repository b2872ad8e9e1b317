package org.clatter.tools.cli.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.clatter.mdp.cli.DemoCommand.Mesh;
import org.clatter.mdp.cli.DemoCommand.Step;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.meshms.MeshMs;
import org.clatter.rhizome.node.RhizomeNode;

/**
 * Store and forward: every node runs Rhizome sync ({@link RhizomeNode}: tree broadcasts and MSP transfers on MDP
 * port 18) over a store of its own. B leaves; A adds a file bundle and a MeshMS message to C; B comes back next to
 * A and picks both up, then moves next to C (A out of reach) and hands them on; C reads the message. The links are
 * restored afterwards.
 */
public final class RhizomeSyncStep implements Step {
    private static final Duration AWAY = Duration.ofSeconds(10);
    /** Virtual time 0 of the demo as a wall-clock date (2026-01-01), for manifest dates and message times. */
    private static final long EPOCH_MS = 1_767_225_600_000L;
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private final int bytes;

    public RhizomeSyncStep(int bytes) {
        this.bytes = bytes;
    }

    @Override
    public String title() {
        return String.format(Locale.ROOT, "rhizome store-and-forward A -> C (a %d KiB bundle and a MeshMS message;"
                + " B comes and goes)", bytes / 1024);
    }

    @Override
    public boolean run(Mesh mesh) {
        Path dir;
        try {
            dir = Files.createTempDirectory("clatter-demo-rhizome");
        } catch (IOException e) {
            mesh.log("cannot create a temporary directory for the stores: " + e.getMessage());
            return false;
        }
        List<RhizomeStore> stores = new ArrayList<>();
        List<RhizomeNode> nodes = new ArrayList<>();
        try {
            for (var e : mesh.nodes.entrySet()) {
                RhizomeStore s = RhizomeStore.open(dir.resolve(e.getKey()));
                stores.add(s);
                nodes.add(RhizomeNode.start(e.getValue(), s, mesh.scheduler));
            }
            RhizomeStore a = stores.get(0);
            RhizomeStore b = stores.get(1);
            RhizomeStore c = stores.get(2);
            RhizomeIdentity alice = RhizomeIdentity.fromMdp(mesh.nodes.get("A").primary(), a.crypto());
            RhizomeIdentity carol = RhizomeIdentity.fromMdp(mesh.nodes.get("C").primary(), a.crypto());

            mesh.net.cut("A", "B").cut("B", "C");
            mesh.log("B leaves: A and C have nobody in range");
            // keys, payload and dates from the seed and the virtual clock: one seed, one run
            SplittableRandom r = new SplittableRandom(mesh.seed ^ 0x72687a6dL);
            Supplier<BundleKeys> keys = () -> {
                byte[] k = new byte[32];
                r.nextBytes(k);
                return BundleKeys.ofSecret(k, a.crypto());
            };
            LongSupplier clock = () -> EPOCH_MS + mesh.now() / 1_000_000L;
            byte[] payload = new byte[bytes];
            r.nextBytes(payload);
            Manifest file = a.add(Map.of("service", "file", "name", "field-report.bin", "date",
                    Long.toString(clock.getAsLong())), alice, keys.get(), new ByteArrayInputStream(payload), 1);
            nodes.get(0).bundleAdded(file);
            String text = "Water at the north well, seed " + mesh.seed;
            Manifest ply = new MeshMs(a, clock, keys).send(alice, carol.sidHex(), text, clock.getAsLong() / 1000);
            nodes.get(0).bundleAdded(ply);
            mesh.log("A adds bundle " + file.idHex().substring(0, 16) + "* (" + file.filesize()
                    + " bytes) and a MeshMS message to C");
            mesh.run(AWAY);
            mesh.log(String.format(Locale.ROOT, "after %d s: B holds %d of them, C %d", AWAY.toSeconds(),
                    held(b, file, ply), held(c, file, ply)));

            mesh.net.restore("A", "B");
            mesh.log("B comes back, next to A only");
            if (!until(mesh, () -> held(b, file, ply) == 2)) {
                mesh.log("B did not get the bundles from A: " + nodes.get(1).counters());
                return false;
            }
            mesh.log("B stored both bundles");

            mesh.net.cut("A", "B").restore("B", "C");
            mesh.log("B moves next to C; A is out of reach");
            if (!until(mesh, () -> held(c, file, ply) == 2)) {
                mesh.log("C did not get the bundles from B: " + nodes.get(2).counters());
                return false;
            }
            boolean same;
            try (InputStream in = c.payload(file.idHex(), 0).orElseThrow()) {
                same = java.util.Arrays.equals(payload, in.readAllBytes());
            }
            List<MeshMs.Message> got = new MeshMs(c).messages(carol, alice.sidHex());
            boolean read = !got.isEmpty() && got.getLast().text().equals(text) && !got.getLast().sentByMe();
            mesh.log("C stored both bundles from B; payload " + (same ? "intact" : "DIFFERS")
                    + "; C reads: \"" + (got.isEmpty() ? "" : got.getLast().text()) + "\" from A");
            long sent = 0;
            for (RhizomeNode n : nodes) {
                sent += n.counters().getOrDefault("sync.transfer.tx.payload_bytes", 0L);
            }
            mesh.log("payload bytes sent over MSP by all nodes: " + sent + " (each bundle crossed each hop once)");
            mesh.net.restore("A", "B");
            return same && read;
        } catch (IOException e) {
            mesh.log("cannot read C's copy: " + e.getMessage());
            return false;
        } finally {
            nodes.forEach(RhizomeNode::close);
            stores.forEach(RhizomeStore::close);
            mesh.net.restore("A", "B").restore("B", "C");
            delete(dir);
        }
    }

    private static int held(RhizomeStore s, Manifest... ms) {
        int n = 0;
        for (Manifest m : ms) {
            if (s.manifest(m.idHex()).isPresent()) {
                n++;
            }
        }
        return n;
    }

    private static boolean until(Mesh mesh, BooleanSupplier done) {
        long limit = mesh.now() + LIMIT.toNanos();
        while (mesh.now() < limit) {
            mesh.run(Duration.ofMillis(100));
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
