package org.clatter.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.clatter.core.time.VirtualClock;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void sameNameSameCounterAndSnapshotIsSorted() throws Exception {
        CounterRegistry r = new CounterRegistry();
        Counter bad = r.counter("packets.dropped.bad_mac");
        assertSame(bad, r.counter("packets.dropped.bad_mac"));
        Counter rx = r.counter("packets.received");
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    bad.increment();
                }
            }));
        }
        rx.add(7);
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(40_000L, bad.get());
        assertEquals(List.of("packets.dropped.bad_mac", "packets.received"), List.copyOf(r.snapshot().keySet()));
        assertEquals(7L, (long) r.snapshot().get("packets.received"));
        assertTrue(r.format().contains("packets.dropped.bad_mac 40000\n"), r.format());
    }

    @Test
    void badNamesAreRejectedWithAHint() {
        CounterRegistry r = new CounterRegistry();
        var e = assertThrows(IllegalArgumentException.class, () -> r.counter("Packets Dropped"));
        assertTrue(e.getMessage().contains("packets.dropped.bad_mac"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.counter(""));
    }

    @Test
    void sameSiteTypeAndMessageCollapseIntoOneEntry() {
        VirtualClock clock = new VirtualClock(1_000_000L);
        ErrorLog log = new ErrorLog(16, clock);
        for (int i = 0; i < 5; i++) {
            clock.advanceBy(1_000_000_000L);
            log.record("engine.onFrame", boom("bad header"));
        }
        log.record("engine.onFrame", boom("other message"));
        log.record("engine.task", boom("bad header"));
        log.record("engine.onFrame", "decode", "truncated");
        log.record("engine.onFrame", "decode", "truncated");

        List<ErrorLog.Entry> es = log.entries();
        assertEquals(4, es.size(), log.format());
        ErrorLog.Entry first = es.get(0);
        assertEquals(5L, first.count());
        assertEquals(1_000_000L + 1_000L, first.firstMillis());
        assertEquals(1_000_000L + 5_000L, first.lastMillis());
        assertEquals(IllegalStateException.class.getName(), first.type());
        assertTrue(first.origin().contains("boom"), first.origin());
        assertTrue(first.firstError().isPresent());
        assertEquals(2L, es.get(3).count());
        assertEquals(9L, log.total());
        assertTrue(log.format().startsWith("5 x engine.onFrame: java.lang.IllegalStateException: bad header"),
                log.format());
    }

    @Test
    void theLogIsBoundedAndCountsWhatItDropped() {
        ErrorLog log = new ErrorLog(3, new VirtualClock());
        for (int i = 0; i < 10; i++) {
            log.record("site", "type", "message " + i);
        }
        log.record("site", "type", "message 0");
        assertEquals(3, log.entries().size());
        assertEquals(7L, log.overflowed());
        assertEquals(2L, log.entries().get(0).count(), "known entries still count when full");
        assertTrue(log.format().contains("7 more distinct errors"), log.format());
    }

    private static IllegalStateException boom(String message) {
        return new IllegalStateException(message);
    }
}
