package org.clatter.msp.mdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.MdpSocket;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspCloseReason;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspConnection;
import org.clatter.msp.MspException;
import org.clatter.msp.MspHandler;
import org.clatter.spi.crypto.Crypto;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.SimNetwork;
import org.junit.jupiter.api.Test;

/**
 * MSP on {@link MdpNode}s: three {@code MdpNode.simulated} nodes in a line A - B - C on a lossy simulated network,
 * an MSP stream from A to C across B, its ports bound through the nodes' sockets.
 */
class MspOnMdpNodeSimTest {
    static final Crypto CRYPTO = MdpCrypto.load();
    static final long SECOND = 1_000_000_000L;

    /** Three nodes in a line with MSP on each, converged. */
    static final class Line {
        final VirtualScheduler scheduler = new VirtualScheduler();
        final SimNetwork net;
        final List<MdpNode> nodes = new ArrayList<>();
        final List<MspNode> msp = new ArrayList<>();

        Line(long seed, double loss) {
            this(seed, loss, 2);
        }

        Line(long seed, double loss, int jitterMs) {
            net = new SimNetwork(scheduler, seed);
            SplittableRandom r = new SplittableRandom(seed ^ 0x5eedL);
            String[] names = {"A", "B", "C"};
            for (String name : names) {
                byte[] s = new byte[32];
                r.nextBytes(s);
                MdpNode n = MdpNode.simulated(CRYPTO, List.of(Identity.fromSeed(CRYPTO, s, new byte[0], "", name)),
                        r.nextLong(), net, name);
                nodes.add(n);
                msp.add(MspNode.simulated(n, scheduler, MspConfig.defaults()));
            }
            LinkProfile p = LinkProfile.ideal().withLatency(Duration.ofMillis(5)).withLoss(loss)
                    .withJitter(Duration.ofMillis(jitterMs));
            net.link("A", "B", p);
            net.link("B", "C", p);
            nodes.forEach(MdpNode::start);
        }

        long now() {
            return scheduler.clock().nanos();
        }

        boolean converge() {
            for (int i = 0; i < 600; i++) {
                scheduler.runFor(SECOND / 10);
                if (nodes.get(0).engine().reachability(nodes.get(2).sid()).reachable()
                        && nodes.get(2).engine().reachability(nodes.get(0).sid()).reachable()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Sends {@code data} A -> C in messages of at most the largest size, then shuts down; returns what C got. */
    static byte[] stream(Line line, byte[] data, String why) {
        assertTrue(line.converge(), "the line converges " + why);
        MspNode a = line.msp.get(0);
        MspNode c = line.msp.get(2);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        boolean[] closed = new boolean[2];
        c.call(e -> e.listen(MspAddress.anyIdentity(555), conn -> new MspHandler() {
            @Override
            public void onData(MspConnection connection, byte[] buf, int off, int len) {
                got.write(buf, off, len);
            }

            @Override
            public void onRemoteShutdown(MspConnection connection) {
                connection.shutdown();
            }

            @Override
            public void onClosed(MspConnection connection, MspCloseReason reason) {
                closed[1] = true;
            }
        })).join();
        int[] next = new int[1];
        MspHandler sender = new MspHandler() {
            @Override
            public void onData(MspConnection connection, byte[] buf, int off, int len) {
            }

            @Override
            public void onWritable(MspConnection connection) {
                pump(connection);
            }

            @Override
            public void onClosed(MspConnection connection, MspCloseReason reason) {
                closed[0] = true;
            }

            void pump(MspConnection conn) {
                int max = conn.maxMessageSize();
                while (next[0] < data.length) {
                    int n = Math.min(max, data.length - next[0]);
                    if (conn.send(data, next[0], n) != MspConnection.SENT) {
                        return;
                    }
                    next[0] += n;
                }
                conn.shutdown();
            }
        };
        MspAddress to = MspAddress.of(line.nodes.get(2).sid().toBytes(), 555);
        MspConnection conn = a.call(e -> e.connect(a.layer().primaryIdentity(), to, sender)).join();
        a.call(e -> {
            ((MspHandler) sender).onWritable(conn);
            return null;
        });
        long limit = line.now() + 300 * SECOND;
        while (!(closed[0] && closed[1]) && line.now() < limit) {
            line.scheduler.runFor(SECOND / 10);
        }
        assertTrue(closed[0] && closed[1], "both ends closed " + why + " client " + conn + " layer A "
                + ((MdpSocketLayer) a.layer()).counters());
        return got.toByteArray();
    }

    @Test
    void everyByteArrivesInOrderAcrossTwoHopsUnderLoss() {
        qt().withExamples(12).forAll(longs().all(), integers().between(0, 25), integers().between(1, 60_000))
                .checkAssert((seed, lossPct, size) -> {
                    String why = "seed=" + seed + " loss=" + lossPct + "% size=" + size;
                    byte[] data = new byte[size];
                    new SplittableRandom(seed).nextBytes(data);
                    Line line = new Line(seed, lossPct / 100.0);
                    byte[] got = stream(line, data, why);
                    assertArrayEquals(data, got, why);
                    MdpSocketLayer layerC = (MdpSocketLayer) line.msp.get(2).layer();
                    assertEquals(0L, (long) layerC.counters().get("msp.mdp.not_crypted"), why);
                    assertTrue(layerC.counters().get("msp.mdp.delivered") > 0, why);
                });
    }

    @Test
    void oneHundredKibibytesAt10PercentLoss() {
        byte[] data = new byte[100 * 1024];
        new SplittableRandom(42).nextBytes(data);
        Line line = new Line(42, 0.10);
        assertArrayEquals(data, stream(line, data, "seed=42"));
        long retransmitted = line.msp.get(0).engine().counters().getOrDefault("data.retransmitted", 0L);
        assertTrue(retransmitted > 0, "10 % loss on both hops makes MSP repair: " + retransmitted);
        // Data asks for MDP's hop acks (hop by hop repair), and so do the acks of a stream this slow (a simulated
        // 50 Mbit/s radio): both ends see frames acked hop by hop.
        MdpNode a = line.nodes.get(0);
        MdpNode c = line.nodes.get(2);
        java.util.Map<String, Long> atA = a.call(now -> a.engine().events()).join();
        java.util.Map<String, Long> atC = c.call(now -> c.engine().events()).join();
        assertTrue(atC.getOrDefault("acked", 0L) > 0, "C's acks are acked hop by hop: " + atC);
        assertTrue(atA.getOrDefault("acked", 0L) > 0, "A's data is acked hop by hop: " + atA);
    }

    @Test
    void arbitraryAndMutatedDatagramsOnTheMspPortAreCountedNeverThrown() {
        Line line = new Line(5, 0);
        MdpNode c = line.nodes.get(2);
        MspNode msp = line.msp.get(2);
        msp.call(e -> e.listen(MspAddress.anyIdentity(555), conn -> new MspHandler() {
            @Override
            public void onData(MspConnection connection, byte[] buf, int off, int len) {
            }
        })).join();
        org.clatter.mdp.Sid from = line.nodes.get(0).sid();
        org.clatter.mdp.engine.MeshEngine.Security[] secs = org.clatter.mdp.engine.MeshEngine.Security.values();
        long[] crypted = new long[1];
        qt().withExamples(2000).forAll(longs().all(), integers().between(0, 1100)).checkAssert((seed, len) -> {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] data = new byte[len];
            r.nextBytes(data);
            if (len > 0 && r.nextBoolean()) {
                data[0] = (byte) (r.nextInt(4) << 6 | r.nextInt(64)); // plausible MSP flag bits
            }
            var sec = secs[r.nextInt(secs.length)];
            if (sec == org.clatter.mdp.engine.MeshEngine.Security.CRYPTED) {
                crypted[0]++;
            }
            long port = r.nextInt(4) == 0 ? r.nextLong(0, 0x1_0000_0000L) : 555;
            c.call(now -> {
                c.sockets().datagram(from, r.nextLong(0, 0x1_0000_0000L), c.sid(), port, sec, data, now);
                return null;
            }).join();
            line.scheduler.runFor(SECOND / 1000);
        });
        MdpSocketLayer layer = (MdpSocketLayer) msp.layer();
        long delivered = layer.counters().get("msp.mdp.delivered");
        assertTrue(delivered > 0 && delivered <= crypted[0], "only crypted datagrams reach MSP: " + delivered
                + " of " + crypted[0] + " " + layer.counters());
        assertTrue(layer.counters().get("msp.mdp.not_crypted") > 0, layer.counters().toString());
        assertEquals(0L, (long) msp.engine().counters().get("engine.handler_errors"), msp.engine().counters()
                .toString());
    }

    @Test
    void mspPortsAndOtherSocketsShareOnePortTable() {
        Line line = new Line(3, 0);
        MdpNode c = line.nodes.get(2);
        MspNode msp = line.msp.get(2);
        MdpSocket other = c.call(now -> c.sockets().bind(777, d -> { })).join();
        var taken = msp.call(e -> e.listen(MspAddress.anyIdentity(777), conn -> null));
        assertTrue(taken.isCompletedExceptionally(), "MSP cannot take a port an MDP socket holds");
        try {
            taken.join();
        } catch (java.util.concurrent.CompletionException e) {
            assertTrue(e.getCause() instanceof MspException, e.getCause().toString());
            assertTrue(e.getCause().getMessage().contains("777"), e.getCause().getMessage());
        }
        msp.call(e -> e.listen(MspAddress.anyIdentity(778), conn -> null)).join();
        assertThrows(java.util.concurrent.CompletionException.class,
                () -> c.call(now -> c.sockets().bind(778, d -> { })).join(), "an MDP socket cannot take MSP's port");
        other.close();
        msp.call(e -> e.listen(MspAddress.anyIdentity(777), conn -> null)).join();
    }
}
