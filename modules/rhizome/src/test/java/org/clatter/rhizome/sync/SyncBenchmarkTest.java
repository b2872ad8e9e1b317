package org.clatter.rhizome.sync;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * One sync round between two stores of 1,000,000 bundles that differ by 10, next to the same with 1,000 bundles
 * (the baseline). Opt-in: {@code CLATTER_BENCH=1 ./clatterw mvn -o -q test -pl modules/rhizome -Dtest=SyncBenchmarkTest}.
 */
@EnabledIfEnvironmentVariable(named = "CLATTER_BENCH", matches = "1")
class SyncBenchmarkTest {

    @Test
    void millionBundleStoresDifferingByTen() {
        for (int common : new int[] {1_000, 1_000_000}) {
            Random r = new Random(3);
            MemorySyncStore sa = new MemorySyncStore(SyncSimulationTest.CRYPTO);
            MemorySyncStore sb = new MemorySyncStore(SyncSimulationTest.CRYPTO);
            for (int i = 0; i < common; i++) {
                long k = r.nextLong();
                sa.addKeyOnly(k);
                sb.addKeyOnly(k);
            }
            SyncSimulationTest.fill(r, sa, 5, 200);
            SyncSimulationTest.fill(r, sb, 5, 200);
            long t0 = System.nanoTime();
            SyncEngine a = new SyncEngine(sa, 0);
            SyncEngine b = new SyncEngine(sb, 0);
            long built = System.nanoTime();
            SyncSimulationTest.Result res = runWith(a, b, sa, sb);
            long done = System.nanoTime();
            long transfer = res.a().getOrDefault("transfer.tx.bytes", 0L) + res.b().getOrDefault("transfer.tx.bytes", 0L);
            System.out.printf("%,d common + 5/5 own: tries built in %.2f s; converged in %d ms virtual, %.1f ms CPU; "
                            + "tree %d B in %d messages, transfers %d B; bundles moved %d%n",
                    common, (built - t0) / 1e9, res.ms(), (done - built) / 1e6, res.treeBytes(),
                    res.a().getOrDefault("tree.tx.messages", 0L) + res.b().getOrDefault("tree.tx.messages", 0L), transfer,
                    res.a().getOrDefault("bundles.received", 0L) + res.b().getOrDefault("bundles.received", 0L));
        }
    }

    private static SyncSimulationTest.Result runWith(SyncEngine a, SyncEngine b, MemorySyncStore sa, MemorySyncStore sb) {
        java.util.ArrayDeque<byte[]> toA = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<byte[]> toB = new java.util.ArrayDeque<>();
        long treeBytes = 0;
        for (long t = 0; t < 60_000; t += 5) {
            var ma = a.pollTreeMessage(t);
            if (ma.isPresent()) {
                treeBytes += ma.get().length;
                b.onTreeMessage("A", ma.get(), t);
            }
            var mb = b.pollTreeMessage(t);
            if (mb.isPresent()) {
                treeBytes += mb.get().length;
                a.onTreeMessage("B", mb.get(), t);
            }
            toB.addAll(a.pollTransfers("B", t, 4));
            toA.addAll(b.pollTransfers("A", t, 4));
            while (!toB.isEmpty()) {
                b.onTransfer("A", toB.poll(), t);
            }
            while (!toA.isEmpty()) {
                a.onTransfer("B", toA.poll(), t);
            }
            if (a.counters().getOrDefault("bundles.received", 0L) == 5 && b.counters().getOrDefault("bundles.received", 0L) == 5
                    && a.peersWithWork().isEmpty() && b.peersWithWork().isEmpty()) {
                return new SyncSimulationTest.Result(t, a.counters(), b.counters(), treeBytes);
            }
        }
        throw new AssertionError("no convergence: " + a.counters() + " / " + b.counters());
    }
}
