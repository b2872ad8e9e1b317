package org.clatter.transport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportException;
import org.clatter.spi.transport.TransportProvider;
import org.clatter.transport.tck.RecordingFrameSink;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    private static final long MS = 1_000_000L;
    private final Arena arena = Arena.ofAuto();

    /** A network of nodes with open, started links, each recording into its own sink. */
    private static final class Rig {
        final VirtualScheduler scheduler = new VirtualScheduler();
        final SimNetwork net;
        final Map<String, Link> links = new LinkedHashMap<>();
        final Map<String, RecordingFrameSink> sinks = new LinkedHashMap<>();

        Rig(long seed) {
            net = new SimNetwork(scheduler, seed);
        }

        void open(String... names) {
            for (String n : names) {
                Link l = net.transport(n).open("");
                RecordingFrameSink s = new RecordingFrameSink(2048);
                l.start(s);
                links.put(n, l);
                sinks.put(n, s);
            }
        }

        List<String> log() {
            List<String> out = new ArrayList<>();
            sinks.forEach((n, s) -> s.frames().forEach(f -> out.add(n + "<" + f.source() + "@" + f.receivedNanos()
                    + ":" + java.util.HexFormat.of().formatHex(f.bytes()))));
            return out;
        }
    }

    private MemorySegment frame(int seq, int length) {
        MemorySegment m = arena.allocate(length);
        for (int i = 0; i < length; i++) {
            m.set(ValueLayout.JAVA_BYTE, i, (byte) (seq * 31 + i));
        }
        return m;
    }

    private List<String> lossyRun(long seed) {
        Rig r = new Rig(seed);
        LinkProfile rough = LinkProfile.ideal().withLoss(0.2).withJitter(Duration.ofMillis(5))
                .withDuplicate(0.1).withReorder(0.1, Duration.ofMillis(20)).withBitRate(1_000_000);
        List<String> names = r.net.grid(3, 3, rough);
        r.open(names.toArray(String[]::new));
        for (int i = 0; i < 200; i++) {
            String from = names.get(i % names.size());
            Link l = r.links.get(from);
            if (i % 3 == 0) {
                l.broadcast(frame(i, 10 + i % 50), 0, 10 + i % 50);
            } else {
                String to = r.net.neighbours(from).get(i % r.net.neighbours(from).size());
                l.send(SimAddress.of(to), frame(i, 20 + i % 70), 0, 20 + i % 70);
            }
            r.scheduler.runFor(2 * MS);
        }
        r.scheduler.runFor(1_000 * MS);
        return r.log();
    }

    @Test
    void sameSeedSameDeliveries() {
        List<String> first = lossyRun(1234);
        List<String> second = lossyRun(1234);
        assertFalse(first.isEmpty());
        assertEquals(first, second, "two runs with the same seed delivered differently");
        assertNotEquals(first, lossyRun(1235), "a different seed should change a lossy run");
    }

    @Test
    void lossRateMatchesTheProfile() {
        qt().withExamples(10).forAll(doubles().between(0.0, 0.9), longs().all()).checkAssert((loss, seed) -> {
            Rig r = new Rig(seed);
            r.net.addNode("A").addNode("B").link("A", "B", LinkProfile.ideal().withLoss(loss));
            r.open("A", "B");
            int n = 2000;
            MemorySegment f = frame(1, 16);
            for (int i = 0; i < n; i++) {
                assertEquals(SendResult.SENT, r.links.get("A").send(SimAddress.of("B"), f, 0, 16));
            }
            r.scheduler.runFor(100 * MS);
            LinkStats s = r.net.stats("A", "B");
            assertEquals((long) n, s.sent());
            assertEquals(s.sent(), s.delivered() + s.lost(), "seed " + seed);
            assertEquals((long) r.sinks.get("B").frameCount(), s.delivered());
            double observed = s.lost() / (double) n;
            assertTrue(Math.abs(observed - loss) < 0.05, "loss " + observed + " vs profile " + loss + ", seed " + seed);
        });
    }

    @Test
    void bandwidthSerialisesFramesAndLatencyDelaysThem() {
        Rig r = new Rig(1);
        // 80 kbit/s: a 1000-byte frame takes 100 ms on the wire; latency 5 ms.
        r.net.addNode("A").addNode("B").link("A", "B", LinkProfile.ideal().withBitRate(80_000)
                .withLatency(Duration.ofMillis(5)));
        r.open("A", "B");
        for (int i = 0; i < 3; i++) {
            r.links.get("A").send(SimAddress.of("B"), frame(i, 1000), 0, 1000);
        }
        r.scheduler.runFor(1_000 * MS);
        List<RecordingFrameSink.Frame> got = r.sinks.get("B").frames();
        assertEquals(3, got.size());
        assertEquals(105 * MS, got.get(0).receivedNanos());
        assertEquals(205 * MS, got.get(1).receivedNanos());
        assertEquals(305 * MS, got.get(2).receivedNanos());
    }

    @Test
    void queueLimitBackPressuresUnicast() {
        Rig r = new Rig(1);
        r.net.addNode("A").addNode("B").link("A", "B", LinkProfile.ideal().withBitRate(8_000).withQueueLimit(4));
        r.open("A", "B");
        Link a = r.links.get("A");
        for (int i = 0; i < 4; i++) {
            assertEquals(SendResult.SENT, a.send(SimAddress.of("B"), frame(i, 100), 0, 100));
        }
        assertEquals(SendResult.BACK_PRESSURED, a.send(SimAddress.of("B"), frame(9, 100), 0, 100));
        r.scheduler.runFor(10_000 * MS);
        assertEquals(SendResult.SENT, a.send(SimAddress.of("B"), frame(9, 100), 0, 100));
    }

    @Test
    void cutRestorePartitionAndHeal() {
        Rig r = new Rig(3);
        List<String> n = r.net.line(3);
        r.open(n.toArray(String[]::new));
        Link mid = r.links.get(n.get(1));
        MemorySegment f = frame(0, 8);
        r.net.cut(n.get(0), n.get(1));
        mid.broadcast(f, 0, 8);
        r.scheduler.runFor(10 * MS);
        assertEquals(0, r.sinks.get(n.get(0)).frameCount(), "a cut link delivered");
        assertEquals(1, r.sinks.get(n.get(2)).frameCount());
        r.net.restore(n.get(0), n.get(1));
        mid.broadcast(f, 0, 8);
        r.scheduler.runFor(10 * MS);
        assertEquals(1, r.sinks.get(n.get(0)).frameCount());
        r.net.partition(Set.of(n.get(0), n.get(1)), Set.of(n.get(2)));
        mid.broadcast(f, 0, 8);
        r.scheduler.runFor(10 * MS);
        assertEquals(2, r.sinks.get(n.get(0)).frameCount());
        assertEquals(2, r.sinks.get(n.get(2)).frameCount(), "a partition let a frame through");
        // a frame in flight when the partition starts is lost too
        r.net.heal();
        mid.broadcast(f, 0, 8);
        r.net.partition(Set.of(n.get(1)));
        r.scheduler.runFor(10 * MS);
        assertEquals(2, r.sinks.get(n.get(2)).frameCount());
        r.net.heal();
        mid.broadcast(f, 0, 8);
        r.scheduler.runFor(10 * MS);
        assertEquals(3, r.sinks.get(n.get(2)).frameCount());
        assertEquals(2L, r.net.stats(n.get(1), n.get(2)).lost());
    }

    @Test
    void asymmetricAndOneWayLinks() {
        Rig r = new Rig(5);
        r.net.addNode("A").addNode("B").addNode("C");
        r.net.link("A", "B", LinkProfile.ideal().withLatency(Duration.ofMillis(1)),
                LinkProfile.ideal().withLatency(Duration.ofMillis(50)));
        r.net.linkOneWay("A", "C", LinkProfile.ideal());
        r.open("A", "B", "C");
        MemorySegment f = frame(0, 8);
        r.links.get("A").send(SimAddress.of("B"), f, 0, 8);
        r.links.get("B").send(SimAddress.of("A"), f, 0, 8);
        assertEquals(SendResult.UNREACHABLE, r.links.get("C").send(SimAddress.of("A"), f, 0, 8));
        assertEquals(SendResult.UNREACHABLE, r.links.get("B").send(SimAddress.of("C"), f, 0, 8));
        r.scheduler.runFor(100 * MS);
        assertEquals(1 * MS, r.sinks.get("B").frames().getFirst().receivedNanos());
        assertEquals(50 * MS, r.sinks.get("A").frames().getFirst().receivedNanos());
        r.links.get("A").broadcast(f, 0, 8);
        r.scheduler.runFor(100 * MS);
        assertEquals(1, r.sinks.get("C").frameCount());
    }

    @Test
    void mtuDuplicationReorderAndBroadcastFlagPerLink() {
        Rig r = new Rig(9);
        r.net.addNode("A").addNode("B").addNode("C").addNode("D");
        r.net.link("A", "B", LinkProfile.ideal().withMtu(100));
        r.net.link("A", "C", LinkProfile.ideal().withBroadcast(false));
        r.net.link("A", "D", LinkProfile.ideal().withDuplicate(1.0));
        r.open("A", "B", "C", "D");
        Link a = r.links.get("A");
        a.send(SimAddress.of("B"), frame(0, 101), 0, 101);
        a.send(SimAddress.of("B"), frame(0, 100), 0, 100);
        a.broadcast(frame(1, 10), 0, 10);
        a.send(SimAddress.of("C"), frame(2, 10), 0, 10);
        r.scheduler.runFor(100 * MS);
        assertEquals(2, r.sinks.get("B").frameCount(), "the 101-byte frame should not cross a 100-byte link");
        assertEquals(1L, r.net.stats("A", "B").dropped());
        assertEquals(1, r.sinks.get("C").frameCount(), "only the unicast crosses a link without broadcast");
        assertEquals(2, r.sinks.get("D").frameCount(), "duplication 1.0 delivers twice");
        assertEquals(1L, r.net.stats("A", "D").duplicated());

        Rig q = new Rig(11);
        q.net.addNode("A").addNode("B").link("A", "B", LinkProfile.ideal().withReorder(0.5, Duration.ofMillis(20)));
        q.open("A", "B");
        for (int i = 0; i < 100; i++) {
            q.links.get("A").send(SimAddress.of("B"), frame(i, 4), 0, 4);
            q.scheduler.runFor(MS);
        }
        q.scheduler.runFor(100 * MS);
        List<RecordingFrameSink.Frame> got = q.sinks.get("B").frames();
        assertEquals(100, got.size());
        int inversions = 0;
        for (int i = 1; i < got.size(); i++) {
            if ((got.get(i).bytes()[0] & 0xff) < (got.get(i - 1).bytes()[0] & 0xff)) {
                inversions++;
            }
        }
        assertTrue(inversions > 10, "reordering 0.5 should reorder: " + inversions + " inversions");
    }

    @Test
    void topologyHelpers() {
        SimNetwork net = new SimNetwork(new VirtualScheduler(), 1);
        List<String> line = net.line(5);
        assertEquals(List.of(line.get(1)), net.neighbours(line.get(0)));
        assertEquals(2, net.neighbours(line.get(2)).size());
        List<String> grid = net.grid(4, 3);
        assertEquals(2, net.neighbours(grid.get(0)).size());
        assertEquals(4, net.neighbours(grid.get(5)).size());
        List<String> rnd = net.random(500, 6);
        long degreeSum = rnd.stream().mapToLong(n -> net.neighbours(n).size()).sum();
        assertEquals(500L * 6, degreeSum);
        // connected: breadth-first search reaches every node
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(rnd.getFirst()));
        while (!todo.isEmpty()) {
            String n = todo.poll();
            if (seen.add(n)) {
                todo.addAll(net.neighbours(n));
            }
        }
        assertEquals(500, seen.size());
        assertThrows(IllegalArgumentException.class, () -> net.addNode(line.getFirst()));
        assertThrows(IllegalArgumentException.class, () -> net.addNode("bad name"));
    }

    @Test
    void providerFindsRegisteredNetworks() {
        // the test runs inside the module, which provides but does not use the service
        getClass().getModule().addUses(TransportProvider.class);
        TransportProvider p = ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("sim")).findFirst().orElseThrow();
        assertTrue(p.isAvailable());
        SimNetwork net = new SimNetwork(new VirtualScheduler(), 1).register("provider-test");
        try {
            net.addNode("A").addNode("B").link("A", "B", LinkProfile.ideal());
            Transport t = p.create(Config.of("sim.network", "provider-test", "sim.node", "A"));
            Link a = t.open("");
            assertEquals(SimAddress.of("A"), a.localAddress());
            assertThrows(TransportException.class, () -> t.open("A"), "a node has one link at a time");
            assertThrows(TransportException.class, () -> t.open("Z"));
            t.close();
            assertEquals(org.clatter.spi.transport.LinkState.DISABLED, a.state());
            var e = assertThrows(TransportException.class, () -> p.create(Config.of("sim.network", "nope")));
            assertTrue(e.getMessage().contains("provider-test"), e.getMessage());
            assertThrows(TransportException.class, () -> p.create(Config.empty()));
            assertThrows(TransportException.class,
                    () -> p.create(Config.of("sim.network", "provider-test", "sim.node", "Q")));
        } finally {
            net.unregister("provider-test");
        }
    }
}
