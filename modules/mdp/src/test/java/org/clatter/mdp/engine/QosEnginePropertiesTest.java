package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clatter.spi.routing.Reachability;
import org.junit.jupiter.api.Test;

/**
 * The engine's QoS under saturation, end to end on the simulated network (ideal link: 1 ms, in order, no loss): a
 * paced sender is offered far more frames of random classes than it may send. At the receiver, a frame of a higher
 * class that was already queued when a lower-class frame left is never delivered after it, and no frame of a
 * latency-bounded class arrives older than its bound (plus the link's latency). The seed is printed on failure.
 */
class QosEnginePropertiesTest {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final int PORT = 5000;

    record Got(int qos, long queuedAt, int id, long deliveredAt) {
    }

    @Test
    void higherClassesGoFirstAndLateRealTimeFramesAreNeverDelivered() {
        qt().withExamples(12).forAll(longs().all()).checkAssert(QosEnginePropertiesTest::run);
    }

    static void run(long seed) {
        SimMesh m = new SimMesh(seed);
        m.net.addNode("a").addNode("b").link("a", "b", org.clatter.transport.sim.LinkProfile.ideal());
        m.start();
        SimMesh.Node a = m.node("a");
        SimMesh.Node b = m.node("b");
        m.run(3 * S);
        assertEquals(Reachability.UNICAST, a.engine.reachability(b.sid()), "converged; seed " + seed);
        a.engine.pace(0, 20, 2);
        SplittableRandom r = new SplittableRandom(seed);
        Qos[] classes = Qos.values();
        int id = 0;
        int offered = 0;
        for (int step = 0; step < 300; step++) { // 3 s
            int k = r.nextInt(6);
            for (int i = 0; i < k; i++) {
                Qos q = classes[r.nextInt(classes.length)];
                byte[] data = new byte[16 + r.nextInt(500)];
                ByteBuffer.wrap(data).putInt(q.ordinal()).putLong(m.now()).putInt(id++);
                if (a.engine.send(b.sid(), PORT, PORT, MeshEngine.Security.PLAIN, q, data, 0, data.length, m.now())) {
                    offered++;
                }
            }
            m.run(10 * MS);
        }
        m.run(3 * S);
        List<Got> got = new ArrayList<>();
        for (SimMesh.Received x : b.received) {
            if (x.dstPort() == PORT) {
                ByteBuffer bb = ByteBuffer.wrap(x.data());
                got.add(new Got(bb.getInt(), bb.getLong(), bb.getInt(), x.nanos()));
            }
        }
        assertTrue(!got.isEmpty() && got.size() < offered, "saturated: " + got.size() + " of " + offered
                + " delivered; seed " + seed);
        long latency = 1 * MS;
        for (Got g : got) {
            long bound = Qos.ofOrdinal(g.qos()).maxLatencyNanos();
            assertTrue(bound == Long.MAX_VALUE || g.deliveredAt() - g.queuedAt() <= bound + latency,
                    Qos.ofOrdinal(g.qos()) + " frame " + g.id() + " delivered "
                            + (g.deliveredAt() - g.queuedAt()) / MS + " ms after queueing; seed " + seed);
        }
        for (Got low : got) {
            long leftAt = low.deliveredAt() - latency;
            for (Got high : got) {
                if (high.qos() < low.qos() && high.queuedAt() < leftAt) {
                    assertTrue(high.deliveredAt() <= low.deliveredAt(), Qos.ofOrdinal(high.qos()) + " frame "
                            + high.id() + " queued at " + high.queuedAt() + " arrived after " + Qos.ofOrdinal(low.qos())
                            + " frame " + low.id() + " that left at " + leftAt + "; seed " + seed);
                }
            }
        }
        assertTrue(a.engine.event("drop.stale.voice") + a.engine.event("drop.stale.video") > 0
                        || a.engine.events().keySet().stream().anyMatch(k -> k.startsWith("drop.queue_full.")),
                "the saturated sender dropped frames; seed " + seed);
    }
}
