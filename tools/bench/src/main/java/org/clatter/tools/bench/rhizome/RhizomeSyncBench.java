package org.clatter.tools.bench.rhizome;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.MdpNode;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.PayloadHash;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.node.RhizomeNode;
import org.clatter.rhizome.sync.EnginePair;
import org.clatter.rhizome.sync.MemorySyncStore;
import org.clatter.rhizome.sync.SyncEngine;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;

/**
 * Rhizome benchmarks (issue 7), each checking its own result:
 *
 * <ul>
 *   <li>{@code sync N MIN MAX}: two Clatter nodes ({@link MdpNode#realTime} + {@link RhizomeNode}, each with its
 *       own SQLite store in a temporary directory) on loopback UDP; A holds {@code N} bundles with payloads of
 *       {@code MIN..MAX} bytes, B starts empty. Measures the wall time from B's start until B holds all N (each
 *       manifest verified, each payload's hash checked), the UDP bytes and datagrams both nodes sent, and the CPU
 *       time of the process.</li>
 *   <li>{@code imports N}: bundles per second through {@link RhizomeStore#add} (one at a time: hash, sign, store,
 *       as {@code servald rhizome add file} does per process) and {@link RhizomeStore#importAll} (batches of 500
 *       pre-signed bundles); baseline in the same run: Ed25519 verification alone.</li>
 *   <li>{@code million [COMMON]}: one sync round between two stores of {@code COMMON} (default 1,000,000) bundles
 *       that differ by 10 (5 on each side), two {@link SyncEngine}s over {@link MemorySyncStore}s in virtual time;
 *       baseline in the same run: the same with 1,000 common bundles. Time, bytes and CPU.</li>
 * </ul>
 *
 * Each result is also printed as one {@code RESULT key=value ...} line for {@code tools/bench/rhizome-vs-servald.sh}.
 * Addresses: {@code -Drhizome.bench.a=127.1.0.1 -Drhizome.bench.b=127.1.0.2} (the defaults; any 127/8 address
 * works without a namespace, but broadcasts do not reach the other node there, so each is given the other as a static
 * peer); {@code -Drhizome.bench.udpBuffer=BYTES} sets both UDP socket buffers (default: the transport's, as
 * {@code clatter rhizome sync} has them); {@code -Drhizome.bench.counters=true} prints both nodes' counters. Runs on the module path (the store finds its crypto and SQLite through JPMS):
 * {@code tools/bench/rhizome-vs-servald.sh --clatter-only} builds the path and runs all three.
 */
public final class RhizomeSyncBench {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final long SECOND = 1_000_000_000L;

    private RhizomeSyncBench() {
    }

    /** A bundle and its payload, made in memory. */
    record Bundle(Manifest manifest, byte[] payload) {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        switch (mode) {
            case "sync" -> sync(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? Integer.parseInt(args[4]) : 600);
            case "imports" -> imports(args.length > 1 ? Integer.parseInt(args[1]) : 2000);
            case "million" -> million(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            case "all" -> {
                sync(100, 100, 1000, 600);
                sync(1000, 100, 1000, 600);
                sync(10, 1 << 20, 1 << 20, 600);
                imports(2000);
                million(1_000_000);
            }
            default -> {
                System.err.println("usage: RhizomeSyncBench sync N MIN MAX [maxSeconds] | imports N | million [COMMON] | all");
                System.exit(2);
            }
        }
        System.exit(0); // node threads are daemons, but do not wait on any straggler
    }

    // ------------------------------------------------------------------------------------------------ bundles

    /** {@code n} signed bundles by {@code author} with random payloads of {@code min..max} bytes. */
    static List<Bundle> bundles(Crypto crypto, RhizomeIdentity author, int n, int min, int max, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Bundle> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[min == max ? min : min + r.nextInt(max - min + 1)];
            r.nextBytes(p);
            byte[] secret = new byte[32];
            r.nextBytes(secret);
            BundleKeys k = BundleKeys.ofSecret(secret, crypto);
            Manifest.Builder b = Manifest.builder().set("service", "file").set("version", 1)
                    .set("id", HEX.formatHex(k.bid())).set("BK", HEX.formatHex(k.bk(author.rhizomeSecret())))
                    .set("date", 1_700_000_000_000L + i).set("name", "bench-" + seed + "-" + i).set("filesize", p.length);
            if (p.length > 0) {
                b.set("filehash", PayloadHash.of(new ByteArrayInputStream(p)));
            }
            out.add(new Bundle(b.sign(k.secret(), crypto), p));
        }
        return out;
    }

    /** The same author in every run, so that the same seeds give the same bundles (and sync keys). */
    static RhizomeIdentity author(Crypto crypto) {
        byte[] seed = new byte[32];
        byte[] rhizomeSecret = new byte[32];
        java.util.Arrays.fill(seed, (byte) 7);
        java.util.Arrays.fill(rhizomeSecret, (byte) 9);
        return RhizomeIdentity.fromSeed(seed, rhizomeSecret, crypto);
    }

    static void importAll(RhizomeStore store, List<Bundle> bundles) {
        for (int off = 0; off < bundles.size(); off += 500) {
            List<Bundle> part = bundles.subList(off, Math.min(bundles.size(), off + 500));
            List<InputStream> streams = new ArrayList<>();
            part.forEach(b -> streams.add(new ByteArrayInputStream(b.payload())));
            for (RhizomeStore.ImportResult res : store.importAll(part.stream().map(Bundle::manifest).toList(), streams)) {
                if (res != RhizomeStore.ImportResult.IMPORTED) {
                    throw new IllegalStateException("the benchmark's own bundle was not imported: " + res);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ sync

    /** Two nodes on loopback UDP; B fetches A's {@code n} bundles. */
    static void sync(int n, int min, int max, int maxSeconds) throws Exception {
        String addrA = System.getProperty("rhizome.bench.a", "127.1.0.1");
        String addrB = System.getProperty("rhizome.bench.b", "127.1.0.2");
        int port = Integer.getInteger("rhizome.bench.port", 4300 + new SplittableRandom().nextInt(20000));
        Crypto crypto = MdpCrypto.load();
        Path dir = Files.createTempDirectory("rhizome-bench");
        String buffer = System.getProperty("rhizome.bench.udpBuffer", "");
        Config udpConfig = buffer.isEmpty() ? Config.empty()
                : Config.of("udp.receive_buffer", buffer, "udp.send_buffer", buffer);
        try (Transport udp = new UdpTransportProvider().create(udpConfig);
             RhizomeStore sa = RhizomeStore.open(dir.resolve("a"));
             RhizomeStore sb = RhizomeStore.open(dir.resolve("b"))) {
            List<Bundle> bundles = bundles(sa.crypto(), author(sa.crypto()), n, min, max, 11);
            importAll(sa, bundles);
            CountingLink la = new CountingLink(udp.open(addrA + "/24:" + port));
            CountingLink lb = new CountingLink(udp.open(addrB + "/24:" + port));
            MdpNode a = MdpNode.realTime(crypto, List.of(Identity.generate(crypto, "", "A")), 1)
                    .addLink(la, List.of(la.parseAddress(addrB + ":" + port)));
            MdpNode b = MdpNode.realTime(MdpCrypto.load(), List.of(Identity.generate(crypto, "", "B")), 2)
                    .addLink(lb, List.of(lb.parseAddress(addrA + ":" + port)));
            RhizomeNode ra = null;
            RhizomeNode rb = null;
            try {
                a.start();
                ra = RhizomeNode.start(a, sa);
                long cpu0 = cpuNanos();
                long bytes0 = la.bytes() + lb.bytes();
                long dgrams0 = la.datagrams() + lb.datagrams();
                long wire0 = la.wireBytes() + lb.wireBytes();
                long t0 = System.nanoTime();
                b.start();
                rb = RhizomeNode.start(b, sb);
                long deadline = t0 + maxSeconds * SECOND;
                long held = 0;
                while (System.nanoTime() < deadline && (held = sb.count()) < n) {
                    Thread.sleep(10);
                }
                long t1 = System.nanoTime();
                long cpu = cpuNanos() - cpu0;
                long bytes = la.bytes() + lb.bytes() - bytes0;
                long dgrams = la.datagrams() + lb.datagrams() - dgrams0;
                long wire = la.wireBytes() + lb.wireBytes() - wire0;
                RhizomeNode fa = ra;
                RhizomeNode fb = rb;
                if (held < n) {
                    throw new IllegalStateException("B holds " + held + " of " + n + " bundles after " + maxSeconds
                            + " s; A " + a.call(x -> fa.counters()).get() + " B " + b.call(x -> fb.counters()).get());
                }
                verify(sb, bundles);
                long payload = bundles.stream().mapToLong(x -> x.payload().length).sum();
                double secs = (t1 - t0) / 1e9;
                System.out.printf(Locale.ROOT, "sync %d bundles of %d..%d B (%,d payload bytes) A -> B over UDP loopback: "
                                + "%.2f s, %.0f bundles/s; UDP %,d B in %,d datagrams (%,d B on the wire with headers, "
                                + "%.2f x payload); CPU %.2f s; all verified%n", n, min, max, payload, secs, n / secs, bytes,
                        dgrams, wire, (double) wire / payload, cpu / 1e9);
                System.out.printf(Locale.ROOT, "RESULT kind=sync n=%d min=%d max=%d seconds=%.3f udp_bytes=%d datagrams=%d "
                        + "wire_bytes=%d payload_bytes=%d cpu_seconds=%.3f%n", n, min, max, secs, bytes, dgrams, wire, payload,
                        cpu / 1e9);
                if (Boolean.getBoolean("rhizome.bench.counters")) {
                    System.out.println("  A " + a.call(x -> fa.counters()).get() + "\n  B " + b.call(x -> fb.counters()).get()
                            + "\n  udp A " + UdpTransportProvider.counters(la.inner()).orElseThrow()
                            + "\n  udp B " + UdpTransportProvider.counters(lb.inner()).orElseThrow());
                }
            } finally {
                if (ra != null) {
                    ra.close();
                }
                if (rb != null) {
                    rb.close();
                }
                a.close();
                b.close();
            }
        } finally {
            delete(dir);
        }
    }

    /** Every bundle is in {@code store}: manifest identical and verified, payload hash matching. */
    static void verify(RhizomeStore store, List<Bundle> bundles) throws IOException {
        for (Bundle x : bundles) {
            Manifest want = x.manifest();
            Manifest got = store.manifest(want.idHex()).orElseThrow(
                    () -> new IllegalStateException("B lacks bundle " + want.idHex()));
            if (!got.verify(store.crypto()) || !java.util.Arrays.equals(got.toBytes(), want.toBytes())) {
                throw new IllegalStateException("B's manifest of " + want.idHex() + " differs from A's or does not verify");
            }
            if (want.filesize() > 0) {
                try (InputStream in = store.payload(want.idHex(), 0).orElseThrow(
                        () -> new IllegalStateException("B has no payload for " + want.idHex()))) {
                    String hash = PayloadHash.of(in);
                    if (!hash.equals(want.filehash().orElseThrow())) {
                        throw new IllegalStateException("B's payload of " + want.idHex() + " hashes to " + hash);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ imports

    /** Bundles per second: one {@code add} at a time, and {@code importAll} in batches of 500. */
    static void imports(int n) throws IOException {
        Path dir = Files.createTempDirectory("rhizome-bench");
        try (RhizomeStore one = RhizomeStore.open(dir.resolve("one"));
             RhizomeStore batch = RhizomeStore.open(dir.resolve("batch"))) {
            Crypto crypto = one.crypto();
            RhizomeIdentity me = RhizomeIdentity.generate(crypto);
            SplittableRandom r = new SplittableRandom(5);
            List<byte[]> payloads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] p = new byte[100 + r.nextInt(901)];
                r.nextBytes(p);
                payloads.add(p);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                one.add(Map.of("service", "file", "name", "add-" + i), me, BundleKeys.generate(crypto),
                        new ByteArrayInputStream(payloads.get(i)), 1);
            }
            double single = n / ((System.nanoTime() - t0) / 1e9);
            if (one.count() != n) {
                throw new IllegalStateException("add stored " + one.count() + " of " + n);
            }
            List<Bundle> made = bundles(crypto, me, n, 100, 1000, 6);
            long t1 = System.nanoTime();
            importAll(batch, made);
            double batched = n / ((System.nanoTime() - t1) / 1e9);
            if (batch.count() != n) {
                throw new IllegalStateException("importAll stored " + batch.count() + " of " + n);
            }
            long t2 = System.nanoTime();
            for (Bundle x : made) {
                if (!x.manifest().verify(crypto)) {
                    throw new IllegalStateException("a benchmark bundle does not verify");
                }
            }
            double verify = n / ((System.nanoTime() - t2) / 1e9);
            System.out.printf(Locale.ROOT, "imports/s (%d bundles of 100..1000 B): add one at a time %.0f; importAll "
                    + "(batches of 500, pre-signed) %.0f; baseline in this run: Ed25519 verify alone %.0f/s%n", n, single,
                    batched, verify);
            System.out.printf(Locale.ROOT, "RESULT kind=imports n=%d add_per_s=%.1f import_all_per_s=%.1f verify_per_s=%.1f%n",
                    n, single, batched, verify);
        } finally {
            delete(dir);
        }
    }

    // ------------------------------------------------------------------------------------------------ million

    /** One sync round between stores of {@code common} shared bundles plus 5 of their own each; baseline 1,000. */
    static void million(int common) {
        Crypto crypto = MdpCrypto.load();
        RhizomeIdentity me = author(crypto);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // the first 1,000 round only warms the JIT up (its figures are not printed)
        int[] sizes = common == 1000 ? new int[] {1000, 1000} : new int[] {1000, 1000, common};
        for (int run = 0; run < sizes.length; run++) {
            int size = sizes[run];
            SplittableRandom r = new SplittableRandom(3);
            MemorySyncStore sa = new MemorySyncStore(crypto);
            MemorySyncStore sb = new MemorySyncStore(crypto);
            for (int i = 0; i < size; i++) {
                long k = r.nextLong();
                sa.addKeyOnly(k);
                sb.addKeyOnly(k);
            }
            bundles(crypto, me, 5, 0, 200, 21).forEach(x -> sa.add(x.manifest(), x.payload()));
            bundles(crypto, me, 5, 0, 200, 22).forEach(x -> sb.add(x.manifest(), x.payload()));
            long t0 = System.nanoTime();
            SyncEngine a = new SyncEngine(sa, 0);
            SyncEngine b = new SyncEngine(sb, 0);
            long built = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            EnginePair pair = new EnginePair(a, b);
            long ms = round(pair);
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long done = System.nanoTime();
            long transfer = pair.transferBytes();
            long[] tree = {pair.treeBytes(), pair.treeMessages()};
            long moved = a.counters().getOrDefault("bundles.received", 0L) + b.counters().getOrDefault("bundles.received", 0L);
            if (moved != 10 || !sa.allKeys().equals(sb.allKeys())) {
                throw new IllegalStateException("the stores did not converge: moved " + moved);
            }
            if (run == 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%,d common + 5/5 own: tries built in %.2f s; converged in %d ms virtual, "
                            + "%.1f ms wall, %.1f ms CPU; tree %,d B in %d messages, transfers %,d B; bundles moved %d%n",
                    size, (built - t0) / 1e9, ms, (done - built) / 1e6, cpu / 1e6, tree[0], tree[1], transfer, moved);
            System.out.printf(Locale.ROOT, "RESULT kind=round common=%d build_seconds=%.3f virtual_ms=%d cpu_ms=%.1f "
                    + "tree_bytes=%d tree_messages=%d transfer_bytes=%d%n", size, (built - t0) / 1e9, ms, cpu / 1e6,
                    tree[0], tree[1], transfer);
        }
    }

    /** Runs A and B over a lossless link in 5 ms virtual steps until both hold the union; returns the ms taken. */
    private static long round(EnginePair pair) {
        for (long t = 0; t < 60_000; t += EnginePair.STEP_MS) {
            pair.step(t);
            if (pair.a().progress().bundlesDone() == 5 && pair.b().progress().bundlesDone() == 5 && pair.idle()) {
                return t;
            }
        }
        throw new IllegalStateException("no convergence in 60 s virtual: " + pair.a().counters() + " / " + pair.b().counters());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
