package org.clatter.rhizome.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.PayloadHash;
import org.clatter.rhizome.RhizomeCrypto;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;

/**
 * Two sync engines on a simulated link with a virtual clock: tree broadcasts are lost at random, transfer
 * messages travel on a reliable in-order stream (MSP's job). Every run prints its seed on failure.
 */
class SyncSimulationTest {
    static final Crypto CRYPTO = RhizomeCrypto.create();

    record Result(long ms, Map<String, Long> a, Map<String, Long> b, long treeBytes) {
    }

    static Manifest bundle(Random r, byte[] payload) {
        byte[] seed = new byte[32];
        r.nextBytes(seed);
        BundleKeys k = BundleKeys.ofSecret(seed, CRYPTO);
        Manifest.Builder b = Manifest.builder().set("service", "file").set("version", 1 + r.nextInt(1000))
                .set("id", HexFormat.of().withUpperCase().formatHex(k.bid())).set("date", 1).set("name", "n" + r.nextInt())
                .set("filesize", payload.length);
        if (payload.length > 0) {
            b.set("filehash", PayloadHash.of(new java.io.ByteArrayInputStream(payload)));
        }
        return b.sign(k.secret(), CRYPTO);
    }

    static void fill(Random r, MemorySyncStore s, int n, int maxSize) {
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[r.nextInt(maxSize + 1)];
            r.nextBytes(p);
            s.add(bundle(r, p), p);
        }
    }

    /** Runs until both stores hold the same keys (or the virtual deadline). */
    static Result run(long seed, MemorySyncStore sa, MemorySyncStore sb, double loss, long deadlineMs) {
        Random r = new Random(seed);
        SyncEngine a = new SyncEngine(sa, 0);
        SyncEngine b = new SyncEngine(sb, 0);
        ArrayDeque<byte[]> toA = new ArrayDeque<>();
        ArrayDeque<byte[]> toB = new ArrayDeque<>();
        long treeBytes = 0;
        for (long t = 0; t <= deadlineMs; t += 5) {
            for (int side = 0; side < 2; side++) {
                SyncEngine me = side == 0 ? a : b;
                SyncEngine other = side == 0 ? b : a;
                String meName = side == 0 ? "A" : "B";
                var tm = me.pollTreeMessage(t);
                if (tm.isPresent()) {
                    treeBytes += tm.get().length;
                    if (r.nextDouble() >= loss) {
                        other.onTreeMessage(meName, tm.get(), t);
                    }
                }
                (side == 0 ? toB : toA).addAll(me.pollTransfers(side == 0 ? "B" : "A", t, 4));
            }
            while (!toB.isEmpty()) {
                b.onTransfer("A", toB.poll(), t);
            }
            while (!toA.isEmpty()) {
                a.onTransfer("B", toA.poll(), t);
            }
            if (sa.allKeys().equals(sb.allKeys()) && t > 0 && a.peersWithWork().isEmpty() && b.peersWithWork().isEmpty()) {
                return new Result(t, a.counters(), b.counters(), treeBytes);
            }
        }
        throw new AssertionError("seed " + seed + ": no convergence within " + deadlineMs + " ms: A "
                + a.tree().describe("B") + " " + a.describeQueues() + "; B " + b.tree().describe("A") + " " + b.describeQueues() + "; A has "
                + sa.allKeys().size() + ", B has " + sb.allKeys().size() + "; counters A=" + a.counters() + " B=" + b.counters());
    }

    @Test
    void randomStoresConvergeToTheUnionUnderLossTransferringOnlyTheDifference() {
        qt().withExamples(12).forAll(integers().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            MemorySyncStore sa = new MemorySyncStore(CRYPTO);
            MemorySyncStore sb = new MemorySyncStore(CRYPTO);
            for (int i = 0, n = r.nextInt(30); i < n; i++) {
                long k = r.nextLong();
                sa.addKeyOnly(k);
                sb.addKeyOnly(k);
            }
            fill(r, sa, r.nextInt(12), 3000);
            fill(r, sb, r.nextInt(12), 3000);
            Set<Long> union = new HashSet<>(sa.allKeys());
            union.addAll(sb.allKeys());
            int aLacks = union.size() - sa.allKeys().size();
            int bLacks = union.size() - sb.allKeys().size();
            double loss = r.nextDouble() * 0.5;
            Result res;
            try {
                res = run(seed, sa, sb, loss, 300_000);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", loss " + loss + ": " + e.getMessage(), e);
            }
            assertEquals(union, sa.allKeys(), "seed " + seed);
            assertEquals(union, sb.allKeys(), "seed " + seed);
            assertEquals((long) aLacks, res.a.getOrDefault("bundles.received", 0L), "seed " + seed + ": A got only what it lacked");
            assertEquals((long) bLacks, res.b.getOrDefault("bundles.received", 0L), "seed " + seed);
            assertEquals((long) bLacks, res.a.getOrDefault("transfer.tx.send_manifest", 0L), "seed " + seed + ": no manifest sent twice");
            assertEquals((long) aLacks, res.b.getOrDefault("transfer.tx.send_manifest", 0L), "seed " + seed);
        });
    }

    @Test
    void costGrowsWithTheDifferenceNotTheStoreSize() {
        long[] bytes = new long[2];
        int[] sizes = {1_000, 100_000};
        for (int i = 0; i < 2; i++) {
            Random r = new Random(42);
            MemorySyncStore sa = new MemorySyncStore(CRYPTO);
            MemorySyncStore sb = new MemorySyncStore(CRYPTO);
            for (int k = 0; k < sizes[i]; k++) {
                long key = r.nextLong();
                sa.addKeyOnly(key);
                sb.addKeyOnly(key);
            }
            fill(r, sa, 5, 100);
            fill(r, sb, 5, 100);
            Result res = run(42, sa, sb, 0, 120_000);
            bytes[i] = res.treeBytes + res.a.getOrDefault("transfer.tx.bytes", 0L) + res.b.getOrDefault("transfer.tx.bytes", 0L);
            System.out.printf("stores of %d common + 5 own bundles each: converged in %d ms virtual, %d tree bytes, %d bytes total%n",
                    sizes[i], res.ms, res.treeBytes, bytes[i]);
        }
        assertTrue(bytes[1] < 3 * bytes[0], "100x more common bundles must not cost 3x the bytes: " + bytes[0] + " vs " + bytes[1]);
    }
}
