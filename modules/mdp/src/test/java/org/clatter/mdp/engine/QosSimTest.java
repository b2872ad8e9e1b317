package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clatter.spi.routing.Reachability;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.Test;

/**
 * QoS queues on the simulated network: a bulk flood at the lowest class, far beyond what the paced links carry,
 * does not stop link state, routing or pings (sent, and answered, in the mesh-management class) from working.
 */
class QosSimTest {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long SEED = Long.getLong("mdp.seed", 20261122L);
    /** Packets per second each node may send; a 1 kB packet at 40/s is about 330 kbit/s, under the link's rate. */
    static final int PACE = 40;

    @Test
    void bulkFloodAtLowestClassDoesNotStopPingsOrRouting() {
        int answered = flood(Qos.MESH_MANAGEMENT);
        assertTrue(answered >= 14, answered + " of 15 pings answered; seed " + SEED);
    }

    /** The control: pings queued with the bulk (its class) are mostly refused or lost, so the flood does saturate. */
    @Test
    void pingsInTheBulkClassSufferFromTheFlood() {
        int answered = flood(Qos.OPPORTUNISTIC);
        assertTrue(answered <= 7, answered + " of 15 pings answered despite sharing the bulk class; seed " + SEED);
    }

    /** Runs the flood with pings in {@code pingClass}; returns how many of the 15 pings were answered. */
    private static int flood(Qos pingClass) {
        SimMesh m = new SimMesh(SEED);
        List<String> n = m.net.line(3, LinkProfile.ideal().withBitRate(1_000_000));
        m.start();
        for (SimMesh.Node node : m.nodes.values()) {
            node.engine.pace(0, PACE, 4);
        }
        m.run(10 * S);
        SimMesh.Node a = m.node(n.get(0));
        SimMesh.Node c = m.node(n.get(2));
        assertEquals(Reachability.INDIRECT, a.engine.reachability(c.sid()), "converged before the flood; seed " + SEED);

        byte[] bulk = new byte[900];
        int pings = 0;
        for (int step = 0; step < 1500; step++) { // 15 s: 10 bulk frames every 10 ms, 1000 frames/s offered
            for (int k = 0; k < 10; k++) {
                bulk[0] = (byte) k;
                if (k % 2 == 0) {
                    a.engine.broadcast(4242, 4242, MeshEngine.Security.PLAIN, Qos.OPPORTUNISTIC, bulk, 0, bulk.length,
                            1, m.now());
                } else {
                    a.engine.send(c.sid(), 4243, 4243, MeshEngine.Security.PLAIN, Qos.OPPORTUNISTIC, bulk, 0,
                            bulk.length, m.now());
                }
            }
            if (step % 100 == 50) {
                a.engine.send(c.sid(), MeshEngine.PORT_ECHO, 257, MeshEngine.Security.CRYPTED, pingClass,
                        MeshEngineSimTest.ping(pings, m.now()), 0, 12, m.now());
                pings++;
            }
            m.run(10 * MS);
            assertTrue(a.engine.reachability(c.sid()).reachable(), "route to c lost at step " + step + "; seed " + SEED);
            assertTrue(c.engine.reachability(a.sid()).reachable(), "route to a lost at step " + step + "; seed " + SEED);
        }
        m.run(2 * S);
        List<SimMesh.Received> replies = a.received.stream().filter(r -> r.dstPort() == 257).toList();
        assertEquals(15, pings);
        for (SimMesh.Received r : replies) {
            assertEquals(c.sid(), r.from());
            assertEquals(MeshEngine.PORT_ECHO, r.srcPort());
        }
        assertTrue(a.engine.event("drop.queue_full.opportunistic") > 0, "the flood saturated a's queues; seed " + SEED);
        assertEquals(0L, a.engine.event("drop.queue_full.mesh_management"), "management frames were never refused");
        long bulkAtC = c.received.stream().filter(r -> r.dstPort() == 4243).count();
        assertTrue(bulkAtC > 0, "bulk still flows in the spare capacity; seed " + SEED);
        assertEquals(Reachability.INDIRECT, a.engine.reachability(c.sid()), "seed " + SEED);
        return replies.size();
    }
}
