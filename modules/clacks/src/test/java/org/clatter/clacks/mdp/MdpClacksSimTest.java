package org.clatter.clacks.mdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.clatter.clacks.ClacksException;
import org.clatter.clacks.ClacksNode;
import org.clatter.clacks.ClacksOptions;
import org.clatter.clacks.ClacksTransports;
import org.clatter.clacks.DatagramClacksTransport;
import org.clatter.clacks.EnqueueResult;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.TestCerts;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.Test;

/** Clacks over MDP sockets of simulated {@link org.clatter.mdp.node.MdpNode}s (virtual time paced to real time). */
class MdpClacksSimTest {
    /**
     * Clacks gossip is a random walk per message (not a flood): with the default 16 hops a message can die
     * bouncing between two mesh nodes before it takes the bridge; ids make the long walk deliver once per node.
     */
    private static final int HOPS = 255;
    private static final LinkProfile LOSSY = LinkProfile.ideal().withLatency(Duration.ofMillis(5)).withLoss(0.2);

    /** One Clacks node on one simulated MDP node, recording what it delivers (message text to count). */
    record Mesh(ClacksNode node, MdpClacksDatagrams datagrams, Map<JsonValue, AtomicInteger> got) {
    }

    static Mesh meshNode(SimMesh sim, int i) {
        MdpClacksDatagrams dg = MdpClacksDatagrams.open(sim.node(i), MdpClacksDatagrams.PORT, sim.engineThread);
        DatagramClacksTransport t = new DatagramClacksTransport(dg, Duration.ofMillis(800));
        ClacksNode n = ClacksNode.create(ClacksOptions.builder().hostname(dg.self().hostname()).port(dg.self().port())
                .sendrate(50).hopLimit(HOPS).maxMessageBytes(MdpClacksDatagrams.MAX_MESSAGE).requestTimeout(Duration.ofMillis(800))
                .build(), t);
        t.bind(n);
        Map<JsonValue, AtomicInteger> got = new ConcurrentHashMap<>();
        n.onMessageReceived((from, p) -> {
            got.computeIfAbsent(p.message(), k -> new AtomicInteger()).incrementAndGet();
            return Optional.of(p.message());
        });
        return new Mesh(n.start(), dg, got);
    }

    @Test
    void threeNodesInALineWithLossGossipToEveryNodeOnce() {
        long seed = System.nanoTime();
        try (SimMesh sim = new SimMesh(seed, 3, LOSSY)) {
            assertTrue(sim.converge(Duration.ofSeconds(30)), "seed " + seed + ": the mesh did not converge");
            sim.pump();
            List<Mesh> m = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    m.add(meshNode(sim, i));
                }
                // a line of Clacks peers too: 0 knows 1, 2 knows 1; 1 learns both from their requests
                m.get(0).node().addPeer(m.get(1).datagrams().self());
                m.get(2).node().addPeer(m.get(1).datagrams().self());
                List<JsonString> sent = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    for (int i : new int[] {0, 2}) {
                        JsonString msg = new JsonString("from " + i + " #" + k);
                        assertEquals(EnqueueResult.QUEUED, m.get(i).node().enqueue(msg));
                        sent.add(msg);
                    }
                }
                for (int i = 0; i < 3; i++) {
                    Mesh at = m.get(i);
                    for (JsonString msg : sent) {
                        if (!msg.value().startsWith("from " + i + " ")) {
                            assertTrue(TestCerts.eventually(20_000, () -> at.got().containsKey(msg)),
                                    "seed " + seed + ": " + msg + " never reached node " + i + "; " + at.node().counters()
                                            + " " + at.datagrams().counters());
                        }
                    }
                }
                Thread.sleep(1500); // let re-sent duplicates and circulating copies arrive
                for (int i = 0; i < 3; i++) {
                    for (Map.Entry<JsonValue, AtomicInteger> e : m.get(i).got().entrySet()) {
                        assertEquals(1, e.getValue().get(), "seed " + seed + ": node " + i + " delivered " + e.getKey()
                                + " more than once");
                    }
                }
                long sentDatagrams = m.stream().mapToLong(x -> x.datagrams().counters().get("sent")).sum();
                long receivedDatagrams = m.stream().mapToLong(x -> x.datagrams().counters().get("received")).sum();
                assertTrue(receivedDatagrams > 0 && sentDatagrams >= receivedDatagrams / 2,
                        "seed " + seed + ": sent " + sentDatagrams + " received " + receivedDatagrams);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                m.forEach(x -> {
                    x.node().close();
                    x.datagrams().close();
                });
            }
        }
    }

    @Test
    void aBridgeCarriesMessagesBetweenAnHttpsPeerAndTheMesh() {
        long seed = System.nanoTime();
        TestCerts.Files2 c = TestCerts.get();
        try (SimMesh sim = new SimMesh(seed, 3, LOSSY)) {
            assertTrue(sim.converge(Duration.ofSeconds(30)), "seed " + seed + ": the mesh did not converge");
            sim.pump();
            Mesh m0 = meshNode(sim, 0);
            Mesh m1 = meshNode(sim, 1);
            // node 2 is the bridge: HTTPS server and client for IP peers, MDP for sid- peers
            MdpClacksDatagrams bdg = MdpClacksDatagrams.open(sim.node(2), MdpClacksDatagrams.PORT, sim.engineThread);
            DatagramClacksTransport bmesh = new DatagramClacksTransport(bdg, Duration.ofMillis(800));
            ClacksOptions bo = ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(c.cert(), c.key())
                    .trust(c.cert()).sendrate(50).hopLimit(HOPS).requestTimeout(Duration.ofMillis(800)).build();
            List<JsonValue> atH = new CopyOnWriteArrayList<>();
            try (ClacksNode bridge = ClacksNode.create(bo, ClacksTransports.route("sid-", bmesh, ClacksTransports.https(bo)));
                 ClacksNode h = ClacksNode.create(ClacksOptions.builder().hostname("127.0.0.1").port(0)
                         .tls(c.cert(), c.key()).trust(c.cert()).sendrate(50).hopLimit(HOPS).build())) {
                bmesh.bind(bridge);
                bridge.advertise("sid-", bdg.self()).start();
                h.onMessageReceived((from, p) -> {
                    atH.add(p.message());
                    return Optional.of(p.message());
                });
                h.start();
                m0.node().addPeer(m1.datagrams().self());
                m1.node().addPeer(bdg.self());
                bridge.addPeer(h.self());

                m0.node().enqueue("from the mesh");
                assertTrue(TestCerts.eventually(20_000, () -> atH.contains(new JsonString("from the mesh"))),
                        "seed " + seed + ": mesh -> bridge -> HTTPS: bridge " + bridge.counters() + bdg.counters());
                assertTrue(TestCerts.eventually(5000, () -> h.peer(bridge.self()).isPresent()));
                assertFalse(h.peers().stream().anyMatch(p -> p.address().hostname().startsWith("sid-")),
                        "HTTPS peers are not told about mesh peers: " + h.peers());
                h.enqueue("from the internet");
                assertTrue(TestCerts.eventually(20_000, () -> m0.got().containsKey(new JsonString("from the internet"))
                                && m1.got().containsKey(new JsonString("from the internet"))),
                        "seed " + seed + ": HTTPS -> bridge -> both mesh nodes: m0 " + m0.node().counters()
                                + " m1 " + m1.node().counters());
                assertTrue(bridge.peer(m1.datagrams().self()).isPresent(), "the bridge knows the mesh node by SID");
            } finally {
                for (Mesh x : List.of(m0, m1)) {
                    x.node().close();
                    x.datagrams().close();
                }
                bdg.close();
            }
        }
    }

    @Test
    void aSignedMessageOfMaxMessageFitsAndALargerOneIsRefusedWithoutBlamingThePeer() {
        long seed = System.nanoTime();
        try (SimMesh sim = new SimMesh(seed, 2, LinkProfile.ideal().withLatency(Duration.ofMillis(2)))) {
            assertTrue(sim.converge(Duration.ofSeconds(30)), "seed " + seed);
            sim.pump();
            Mesh m1 = meshNode(sim, 1);
            MdpClacksDatagrams dg = MdpClacksDatagrams.open(sim.node(0), MdpClacksDatagrams.PORT, sim.engineThread);
            DatagramClacksTransport t = new DatagramClacksTransport(dg, Duration.ofMillis(800));
            try (ClacksNode n = ClacksNode.create(ClacksOptions.builder().hostname(dg.self().hostname())
                    .port(dg.self().port()).sendrate(50).sign(true).maxMessageBytes(4000).build(), t)) {
                t.bind(n);
                n.start();
                assertTrue(n.signing(), "the crypto provider signs");
                n.addPeer(m1.datagrams().self());
                JsonString fits = new JsonString("m".repeat(MdpClacksDatagrams.MAX_MESSAGE - 2));
                assertEquals(EnqueueResult.QUEUED, n.enqueue(fits));
                assertTrue(TestCerts.eventually(10_000, () -> m1.got().containsKey(fits)),
                        "seed " + seed + ": a signed MAX_MESSAGE message fits one datagram: " + n.counters() + dg.counters());
                assertEquals(EnqueueResult.TOO_LARGE, m1.node().enqueue(new JsonString("m".repeat(MdpClacksDatagrams.MAX_MESSAGE))),
                        "mesh nodes refuse larger messages at once");
                assertEquals(EnqueueResult.QUEUED, n.enqueue(new JsonString("x".repeat(1500))));
                assertTrue(TestCerts.eventually(5000, () -> n.counters().getOrDefault("send.too_large", 0L) >= 1),
                        "" + n.counters());
                assertEquals(org.clatter.clacks.PeerStatus.ALIVE, n.peer(m1.datagrams().self()).orElseThrow().status(),
                        "the peer is not blamed for the carrier's limit");
                assertTrue(TestCerts.eventually(5000, () -> n.counters().getOrDefault("send.too_large", 0L) >= 2),
                        "the message is kept and tried again: " + n.counters());
            } finally {
                m1.node().close();
                m1.datagrams().close();
                dg.close();
            }
        }
    }

    @Test
    void oneDatagramOfTheLimitCrossesTwoHopsAndLargerOnesAreRefused() {
        long seed = System.nanoTime();
        try (SimMesh sim = new SimMesh(seed, 3, LinkProfile.ideal().withLatency(Duration.ofMillis(2)))) {
            assertTrue(sim.converge(Duration.ofSeconds(30)), "seed " + seed);
            sim.pump();
            MdpClacksDatagrams a = MdpClacksDatagrams.open(sim.node(0), MdpClacksDatagrams.PORT, sim.engineThread);
            MdpClacksDatagrams b = MdpClacksDatagrams.open(sim.node(2), MdpClacksDatagrams.PORT, sim.engineThread);
            List<byte[]> atB = new CopyOnWriteArrayList<>();
            List<PeerAddress> from = new CopyOnWriteArrayList<>();
            b.onDatagram((f, d) -> {
                from.add(f);
                atB.add(d);
            });
            byte[] big = new byte[MdpClacksDatagrams.MAX_DATAGRAM];
            new java.util.SplittableRandom(seed).nextBytes(big);
            assertTrue(a.send(b.self(), big));
            assertTrue(TestCerts.eventually(5000, () -> atB.size() == 1), "seed " + seed + " " + a.counters());
            assertArrayEquals(big, atB.get(0));
            assertEquals(a.self(), from.get(0));
            assertFalse(a.send(b.self(), new byte[MdpClacksDatagrams.MAX_DATAGRAM + 1]));
            assertEquals(1L, (long) a.counters().get("too_large"));
            assertFalse(a.send(new PeerAddress("127.0.0.1", 80), new byte[1]));
            assertFalse(a.send(new PeerAddress("sid-12", 80), new byte[1]));
            assertEquals(2L, (long) a.counters().get("bad_address"));
            ClacksException e = assertThrows(ClacksException.class,
                    () -> MdpClacksDatagrams.open(sim.node(0), MdpClacksDatagrams.PORT, sim.engineThread));
            assertTrue(e.getMessage().contains("pick another port"), e.getMessage());
            assertThrows(ClacksException.class, () -> MdpClacksDatagrams.open(sim.node(0), 70000, sim.engineThread));
            a.close();
            b.close();
        }
    }
}
