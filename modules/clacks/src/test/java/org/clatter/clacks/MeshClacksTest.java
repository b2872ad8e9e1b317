package org.clatter.clacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;
import org.junit.jupiter.api.Test;

/** Clacks over a datagram service (a stand-in for MDP sockets), and a node bridging mesh and HTTPS peers. */
class MeshClacksTest {

    /** A lossless in-memory mesh: addresses to receivers, delivered asynchronously. */
    static final class FakeMesh implements AutoCloseable {
        final Map<PeerAddress, BiConsumer<PeerAddress, byte[]>> nodes = new ConcurrentHashMap<>();
        final ExecutorService air = Executors.newSingleThreadExecutor();
        volatile boolean partitioned;

        ClacksDatagrams attach(PeerAddress me) {
            return new ClacksDatagrams() {
                @Override
                public int maxDatagram() {
                    return 1200;
                }

                @Override
                public boolean send(PeerAddress to, byte[] datagram) {
                    BiConsumer<PeerAddress, byte[]> r = nodes.get(to);
                    if (r == null) {
                        return false;
                    }
                    if (!partitioned) {
                        air.execute(() -> r.accept(me, datagram.clone()));
                    }
                    return true;
                }

                @Override
                public void onDatagram(BiConsumer<PeerAddress, byte[]> receiver) {
                    nodes.put(me, receiver);
                }
            };
        }

        @Override
        public void close() {
            air.shutdownNow();
        }
    }

    static PeerAddress sid(int n) {
        return new PeerAddress("sid-" + String.format("%064x", n), 0xC1AC);
    }

    static ClacksNode meshNode(FakeMesh mesh, PeerAddress me, List<JsonValue> got, Duration timeout) {
        DatagramClacksTransport t = new DatagramClacksTransport(mesh.attach(me), timeout);
        ClacksNode n = ClacksNode.create(ClacksOptions.builder().hostname(me.hostname()).port(me.port()).sendrate(100).hopLimit(255)
                .requestTimeout(timeout).build(), t);
        t.bind(n);
        n.onMessageReceived((from, p) -> {
            got.add(p.message());
            return Optional.of(p.message());
        });
        return n.start();
    }

    @Test
    void meshNodesGossipAndANodeBridgesMeshAndHttps() {
        List<JsonValue> atM1 = new CopyOnWriteArrayList<>();
        List<JsonValue> atM2 = new CopyOnWriteArrayList<>();
        List<JsonValue> atH = new CopyOnWriteArrayList<>();
        TestCerts.Files2 c = TestCerts.get();
        try (FakeMesh mesh = new FakeMesh();
             ClacksNode m1 = meshNode(mesh, sid(1), atM1, Duration.ofSeconds(2));
             ClacksNode m2 = meshNode(mesh, sid(2), atM2, Duration.ofSeconds(2))) {
            // the bridge: HTTPS server + HTTPS client for IP peers, datagrams for sid- peers
            ClacksOptions bo = ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(c.cert(), c.key()).trust(c.cert())
                    .sendrate(100).hopLimit(255).requestTimeout(Duration.ofSeconds(2)).build();
            DatagramClacksTransport bridgeMesh = new DatagramClacksTransport(mesh.attach(sid(3)), Duration.ofSeconds(2));
            try (ClacksNode bridge = ClacksNode.create(bo, ClacksTransports.route("sid-", bridgeMesh, ClacksTransports.https(bo)));
                 ClacksNode h = ClacksNode.create(ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(c.cert(), c.key())
                         .trust(c.cert()).sendrate(100).hopLimit(255).requestTimeout(Duration.ofSeconds(2)).build())) {
                bridgeMesh.bind(bridge);
                bridge.advertise("sid-", sid(3)).start();
                h.onMessageReceived((from, p) -> {
                    atH.add(p.message());
                    return Optional.of(p.message());
                });
                h.start();

                m1.addPeer(m2.self());
                m1.enqueue("mesh hello");
                assertTrue(TestCerts.eventually(5000, () -> atM2.contains(new JsonString("mesh hello"))), "m1 -> m2 over datagrams");
                assertTrue(TestCerts.eventually(3000, () -> m2.peer(m1.self()).isPresent()));

                m2.addPeer(sid(3));
                bridge.addPeer(h.self());
                m2.enqueue("to the internet");
                assertTrue(TestCerts.eventually(8000, () -> atH.contains(new JsonString("to the internet"))),
                        "mesh -> bridge -> HTTPS: " + bridge.counters() + bridge.peers() + " h: " + h.counters() + " m2: " + m2.counters() + m2.peers());
                assertTrue(TestCerts.eventually(3000, () -> h.peer(bridge.self()).isPresent()));
                assertFalse(h.peers().stream().anyMatch(p -> p.address().hostname().startsWith("sid-")),
                        "HTTPS peers are not told about mesh peers they cannot reach: " + h.peers());
                h.enqueue("from the internet");
                assertTrue(TestCerts.eventually(8000, () -> atM1.contains(new JsonString("from the internet"))
                        || atM2.contains(new JsonString("from the internet"))), "HTTPS -> bridge -> mesh");
                assertTrue(bridge.peer(sid(2)).isPresent(), "the bridge knows the mesh node as sid-...");
            }
        }
    }

    @Test
    void unansweredDatagramsTimeOutAndMessagesAreKept() {
        List<JsonValue> got = new CopyOnWriteArrayList<>();
        List<JsonValue> atM2 = new CopyOnWriteArrayList<>();
        try (FakeMesh mesh = new FakeMesh();
             ClacksNode m1 = meshNode(mesh, sid(1), got, Duration.ofMillis(300));
             ClacksNode m2 = meshNode(mesh, sid(2), atM2, Duration.ofMillis(300))) {
            mesh.partitioned = true;
            m1.addPeer(m2.self());
            m1.enqueue("stuck");
            assertTrue(TestCerts.eventually(3000, () -> m1.peer(m2.self()).orElseThrow().status() == PeerStatus.LOST));
            assertEquals(1, m1.queueSize() + m1.inFlight());
            assertTrue(m1.counters().getOrDefault("send.timeout", 0L) >= 1);
            // too large for one datagram: refused at once, kept queued
            mesh.partitioned = false;
            m1.enqueue("x".repeat(2000));
            assertTrue(TestCerts.eventually(3000, () -> m1.counters().getOrDefault("send.too_large", 0L) >= 1),
                    "" + m1.counters());
            // kept and tried again (the "stuck" one may now be delivered, and come back to m1 as gossip)
            assertTrue(TestCerts.eventually(3000, () -> m1.counters().getOrDefault("send.too_large", 0L) >= 2),
                    "" + m1.counters());
            assertTrue(m1.queueSize() + m1.inFlight() >= 1);
            assertFalse(atM2.contains(new JsonString("x".repeat(2000))));
        }
    }
}
