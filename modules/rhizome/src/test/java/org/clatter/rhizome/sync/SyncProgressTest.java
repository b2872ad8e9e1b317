package org.clatter.rhizome.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SyncEngine#progress()} while B fetches A's bundles, and {@link ProgressMeter}'s rate, ETA and line. */
class SyncProgressTest {

    /** A holds a few small bundles and one large one; B starts empty. Returns A's payload bytes. */
    private static long fillA(Random r, MemorySyncStore sa) {
        SyncSimulationTest.fill(r, sa, 3 + r.nextInt(5), 2000);
        byte[] big = new byte[40_000 + r.nextInt(20_000)];
        r.nextBytes(big);
        sa.add(SyncSimulationTest.bundle(r, big), big);
        long total = 0;
        for (long k : sa.keys()) {
            total += sa.bySyncKey(k).orElseThrow().filesize();
        }
        return total;
    }

    @Test
    void progressCountsWhatBFetchesUntilItHasEverything() {
        qt().withExamples(6).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            MemorySyncStore sa = new MemorySyncStore(SyncSimulationTest.CRYPTO);
            MemorySyncStore sb = new MemorySyncStore(SyncSimulationTest.CRYPTO);
            long total = fillA(r, sa);
            int n = sa.size();
            SyncEngine a = new SyncEngine(sa, 0);
            SyncEngine b = new SyncEngine(sb, 0);
            SyncProgress start = b.progress();
            assertTrue(start.idle(), "seed " + seed);
            assertEquals(0L, start.bytesReceived(), "seed " + seed);
            assertEquals(1.0, start.fraction(), "seed " + seed);

            boolean sawTransfer = false;
            long lastReceived = 0;
            long lastDone = 0;
            EnginePair pair = new EnginePair(a, b);
            long t = 0;
            for (; t < 60_000 && sb.size() < n; t += EnginePair.STEP_MS) {
                pair.step(t);
                SyncProgress p = b.progress();
                assertTrue(p.bytesReceived() >= lastReceived, "seed " + seed + ": bytes received went back: " + p);
                assertTrue(p.bundlesDone() >= lastDone, "seed " + seed + ": bundles done went back: " + p);
                assertTrue(p.bytesReceived() <= p.bytesExpected(), "seed " + seed + ": " + p);
                assertTrue(p.bytesExpected() <= total, "seed " + seed + ": expects more than A holds: " + p);
                assertEquals((long) sb.size(), p.bundlesDone(), "seed " + seed);
                for (SyncProgress.Transfer tr : p.transfers()) {
                    sawTransfer = true;
                    assertEquals("A", tr.peer(), "seed " + seed);
                    assertEquals(tr.manifest().filesize(), tr.size(), "seed " + seed);
                    assertTrue(tr.received() >= 0 && tr.received() < tr.size(), "seed " + seed + ": " + tr);
                }
                assertTrue(p.transfers().size() <= p.bundlesPending(), "seed " + seed + ": " + p);
                lastReceived = p.bytesReceived();
                lastDone = p.bundlesDone();
            }
            assertEquals(n, sb.size(), "seed " + seed + ": B did not get everything by " + t + " ms");
            SyncProgress end = b.progress();
            assertTrue(sawTransfer, "seed " + seed + ": the large payload was never seen in flight");
            assertTrue(end.idle(), "seed " + seed + ": " + end);
            assertEquals((long) n, end.bundlesDone(), "seed " + seed);
            assertEquals(total, end.bytesReceived(), "seed " + seed);
            assertEquals(total, end.bytesExpected(), "seed " + seed);
            assertTrue(end.transfers().isEmpty(), "seed " + seed);
            assertEquals(total, a.progress().bytesSent(), "seed " + seed);
            assertEquals(0L, a.progress().bundlesDone(), "seed " + seed);
        });
    }

    @Test
    void aFailedStreamDropsItsPendingWork() {
        Random r = new Random(7);
        MemorySyncStore sa = new MemorySyncStore(SyncSimulationTest.CRYPTO);
        MemorySyncStore sb = new MemorySyncStore(SyncSimulationTest.CRYPTO);
        fillA(r, sa);
        SyncEngine a = new SyncEngine(sa, 0);
        SyncEngine b = new SyncEngine(sb, 0);
        for (long t = 0; t < 10_000 && b.progress().transfers().isEmpty(); t += 5) {
            a.pollTreeMessage(t).ifPresent(m -> b.onTreeMessage("A", m, 0));
            b.pollTreeMessage(t).ifPresent(m -> a.onTreeMessage("B", m, 0));
            for (byte[] m : a.pollTransfers("B", t, 1)) {
                b.onTransfer("A", m, t);
            }
            for (byte[] m : b.pollTransfers("A", t, 4)) {
                a.onTransfer("B", m, t);
            }
        }
        SyncProgress mid = b.progress();
        assertFalse(mid.transfers().isEmpty(), "a download was in progress: " + mid);
        assertFalse(mid.idle(), mid.toString());
        b.streamFailed("A");
        SyncProgress after = b.progress();
        assertTrue(after.idle(), after.toString());
        assertTrue(after.transfers().isEmpty(), after.toString());
        assertEquals(mid.bytesReceived(), after.bytesReceived(), "bytes already received still count");
    }

    @Test
    void meterRateFollowsTheLastWindowAndGivesAnEta() {
        ProgressMeter m = new ProgressMeter();
        SyncProgress p = new SyncProgress(1, 1, 0, 10_000, 0, java.util.List.of());
        assertEquals(0.0, m.bytesPerSecond());
        assertEquals(OptionalLong.empty(), m.etaSeconds(p));
        long s = 1_000_000_000L;
        for (int i = 0; i <= 10; i++) {
            m.observe(i * s, i * 100L); // 100 B/s for 10 s
        }
        assertEquals(100.0, m.bytesPerSecond(), 1e-9);
        SyncProgress now = new SyncProgress(1, 1, 1000, 10_000, 0, java.util.List.of());
        assertEquals(OptionalLong.of(90), m.etaSeconds(now));
        for (int i = 11; i <= 20; i++) {
            m.observe(i * s, 1000 + (i - 10) * 1000L); // then 1000 B/s: the window forgets the slow part
        }
        assertEquals(1000.0, m.bytesPerSecond(), 1e-9);
        m.observe(5 * s, 0); // a clock going back is ignored
        assertEquals(1000.0, m.bytesPerSecond(), 1e-9);
        SyncProgress late = new SyncProgress(4, 2, 11_000, 16_000, 0, java.util.List.of());
        assertEquals(OptionalLong.of(5), m.etaSeconds(late));
        String line = m.line(late, 10);
        assertTrue(line.startsWith("[#######   ] 4/6 bundles 11.0 KB/16.0 KB 1.0 KB/s ETA 0:05"), line);
        assertTrue(m.plain(late).contains("4 bundles received, 2 pending"), m.plain(late));
        assertEquals(OptionalLong.of(0), m.etaSeconds(new SyncProgress(4, 0, 5, 5, 0, java.util.List.of())));
    }

    @Test
    void sizesAndClockRead() {
        assertEquals("999 B", ProgressMeter.bytes(999));
        assertEquals("1.5 KB", ProgressMeter.bytes(1500));
        assertEquals("10.5 MB", ProgressMeter.bytes(10_485_760));
        assertEquals("0:59", ProgressMeter.clock(59));
        assertEquals("1:01:01", ProgressMeter.clock(3661));
    }
}
