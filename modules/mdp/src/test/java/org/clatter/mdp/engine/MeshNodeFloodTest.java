package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.clatter.mdp.Identity;
import org.clatter.mdp.Sid;
import org.clatter.mdp.TestCrypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpAddress;
import org.clatter.transport.udp.UdpTransportProvider;
import org.junit.jupiter.api.Test;

/**
 * Another process floods a node running over real UDP on loopback with malformed, truncated, mutated, wrongly keyed,
 * unknown-sender and replayed packets while crypted pings keep crossing to it: the bad packets are counted and
 * dropped, the pings keep being answered without a long gap, and the node neither crashes nor stalls.
 */
class MeshNodeFloodTest {
    static final long SEED = Long.getLong("mdp.seed", 20261122L);
    static final int FLOOD = Integer.getInteger("mdp.flood", 60_000);

    static {
        // The UDP transport is a test-only dependency that module-info does not require: read it (by reflection,
        // which needs no readability) in case the test runner puts it on the module path.
        try {
            MeshNodeFloodTest.class.getModule().addReads(
                    Class.forName("org.clatter.transport.udp.UdpTransportProvider").getModule());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void aFloodFromAnotherProcessIsCountedAndDroppedWhilePingsKeepFlowing() throws Exception {
        int port = MeshNodeUdpTest.freePort();
        Path captured = Files.createTempFile("mdp-flood", ".hex");
        try (Transport t = new UdpTransportProvider().create(Config.empty());
             DatagramChannel tap = DatagramChannel.open();
             MeshNode a = new MeshNode(TestCrypto.get(), Identity.generate(TestCrypto.get(), "", "A"), SEED);
             MeshNode b = new MeshNode(TestCrypto.get(), Identity.generate(TestCrypto.get(), "", "B"), SEED + 1)) {
            tap.bind(new InetSocketAddress("127.1.0.5", 0));
            var la = t.open("127.1.0.1/24:" + port);
            var lb = t.open("127.1.0.2/24:" + port);
            // The tap gets a copy of every broadcast packet A sends: genuine packets for the flooder to replay.
            a.addLink(la, List.of(lb.localAddress(), new UdpAddress((InetSocketAddress) tap.getLocalAddress())));
            b.addLink(lb, List.of(la.localAddress()));
            ConcurrentLinkedQueue<Long> replies = new ConcurrentLinkedQueue<>();
            java.util.Set<Integer> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicLong forgedAtB = new AtomicLong();
            a.addListener((from, sp, to, dp, sec, data, now) -> {
                if (dp == 257 && from.equals(b.sid()) && sec == MeshEngine.Security.CRYPTED) {
                    replies.add(now);
                    answered.add(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
                }
            });
            b.addListener((from, sp, to, dp, sec, data, now) -> {
                if (sec == MeshEngine.Security.CRYPTED) {
                    forgedAtB.incrementAndGet();
                }
            });
            a.start();
            b.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !peers(a).contains(b.sid())) {
                Thread.sleep(50);
            }
            assertTrue(peers(a).contains(b.sid()), "A and B converge before the flood");
            List<String> hex = new ArrayList<>();
            tap.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(2048);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until || hex.isEmpty()) {
                buf.clear();
                if (tap.receive(buf) != null) {
                    buf.flip();
                    byte[] p = new byte[buf.remaining()];
                    buf.get(p);
                    hex.add(HexFormat.of().formatHex(p));
                } else {
                    Thread.sleep(5);
                }
            }
            Files.write(captured, hex);
            long errorsBefore = b.call(now -> b.engine().counters().errors()).get();
            long packetsBefore = b.call(now -> b.engine().counters().packets()).get();

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process flooder = new ProcessBuilder(java, "-cp", Path.of("target", "test-classes").toString(),
                    UdpFlooder.class.getName(), "127.1.0.9", "127.1.0.2:" + port, b.sid().toString(),
                    a.sid().toString(), captured.toString(), String.valueOf(FLOOD), String.valueOf(SEED))
                    .redirectErrorStream(true).start();
            int pings = 0;
            long floodStart = System.nanoTime();
            while (flooder.isAlive() && System.nanoTime() - floodStart < TimeUnit.SECONDS.toNanos(30)) {
                ping(a, b.sid(), pings++);
                Thread.sleep(20);
            }
            long floodEnd = System.nanoTime();
            assertTrue(flooder.waitFor(30, TimeUnit.SECONDS), "the flooder finishes");
            String report = new String(flooder.getInputStream().readAllBytes()).trim();
            assertEquals(0, flooder.exitValue(), report);
            for (int i = 0; i < 10; i++) {
                ping(a, b.sid(), pings++);
                Thread.sleep(20);
            }
            Thread.sleep(1000);

            long received = b.call(now -> b.engine().counters().packets()).get() - packetsBefore;
            long errors = b.call(now -> b.engine().counters().errors()).get() - errorsBefore;
            Map<String, Long> events = b.call(now -> b.engine().events()).get();
            Map<String, Long> decoder = b.call(now -> b.engine().counters().snapshot()).get();
            String state = "seed " + SEED + "; flooder: " + report + "; B received " + received + " errors " + errors
                    + " events " + events + " decoder " + decoder + "; pings " + pings + " answered " + answered.size() + " replies " + replies.size();
            System.out.println("[flood] " + state + "; flood took " + (floodEnd - floodStart) / 1_000_000 + " ms");
            long dropped = errors + events.getOrDefault("duplicate_packet", 0L)
                    + events.getOrDefault("duplicate_frame", 0L);
            assertTrue(received >= FLOOD / 2, "most of the flood reached B's engine: " + state);
            assertTrue(dropped >= received * 5 / 10, "the junk is counted as dropped: " + state);
            assertEquals(0L, forgedAtB.get(), "no forged crypted datagram is delivered: " + state);
            assertEquals(0L, events.getOrDefault("loop_error", 0L), state);
            assertTrue(answered.size() >= pings * 9 / 10, "pings keep being answered: " + state);
            assertTrue(events.getOrDefault("neighbour_table_full", 0L) > 0, "made-up senders hit the cap: " + state);
            List<Long> times = new ArrayList<>(replies);
            long worstGap = 0;
            for (int i = 1; i < times.size(); i++) {
                worstGap = Math.max(worstGap, times.get(i) - times.get(i - 1));
            }
            assertTrue(worstGap < TimeUnit.MILLISECONDS.toNanos(1000), "no stall: longest gap between replies "
                    + worstGap / 1_000_000 + " ms; " + state);
            assertTrue(peers(b).contains(a.sid()) && peers(a).contains(b.sid()), "still peers: " + state);
        } finally {
            Files.deleteIfExists(captured);
        }
    }

    private static void ping(MeshNode from, Sid to, int seq) throws Exception {
        from.call(now -> {
            byte[] p = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(seq).putLong(now).array();
            return from.engine().send(to, MeshEngine.PORT_ECHO, 257, p, 0, 12, now);
        }).get(2, TimeUnit.SECONDS);
    }

    private static List<Sid> peers(MeshNode n) throws Exception {
        return n.call(now -> n.engine().peers()).get(2, TimeUnit.SECONDS);
    }
}
