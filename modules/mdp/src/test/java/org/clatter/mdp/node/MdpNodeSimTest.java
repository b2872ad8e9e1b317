package org.clatter.mdp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.Test;

/** MdpNode on virtual time: start, ping across hops, stop; a seed replays a run exactly. */
class MdpNodeSimTest {
    private static final LinkProfile LOSSY = LinkProfile.ideal().withLoss(0.1).withLatency(Duration.ofMillis(5));

    private static List<Long> pingAcross(long seed) {
        SimNodes sim = new SimNodes(seed, 4, LOSSY);
        assertTrue(sim.converge(Duration.ofSeconds(30)), "a line of 4 converges");
        MdpNode first = sim.node(0);
        MdpNode last = sim.node(3);
        assertEquals(MeshEngine.class, first.engine().getClass());
        List<Long> rtts = new ArrayList<>();
        Ping ping = first.call(now -> Ping.open(first.sockets(), r -> {
            assertEquals(last.sid(), r.from());
            assertEquals(MeshEngine.Security.CRYPTED, r.security());
            rtts.add(r.rttNanos());
        })).join();
        for (int seq = 0; seq < 10; seq++) {
            int s = seq;
            assertTrue(first.call(now -> ping.send(last.sid(), s, now)).join(), "a route to the far end");
            sim.run(Duration.ofMillis(500));
        }
        sim.run(Duration.ofSeconds(3));
        sim.nodes.forEach(MdpNode::close);
        return rtts;
    }

    @Test
    void pingCrossesThreeHopsAndTheSeedReplaysTheRun() {
        List<Long> a = pingAcross(42);
        assertTrue(a.size() >= 8, "most of 10 pings over 3 lossy hops come back (retransmission): " + a.size());
        // three hops of 5 ms each way at least
        assertTrue(a.stream().allMatch(r -> r >= 30_000_000L), a.toString());
        assertEquals(a, pingAcross(42), "same seed, same run");
    }

    @Test
    void aClosedNodeFallsSilentAndItsPeersForgetIt() {
        SimNodes sim = new SimNodes(7, 3, LinkProfile.ideal());
        assertTrue(sim.converge(Duration.ofSeconds(10)));
        MdpNode middle = sim.node(1);
        middle.close();
        long sentBefore = sim.net.totals().sent();
        long middleSent = middle.engine().registry().counter(MdpNode.SENT_PACKETS).get();
        sim.run(Duration.ofSeconds(20));
        assertEquals(middleSent, middle.engine().registry().counter(MdpNode.SENT_PACKETS).get(),
                "a stopped node sends nothing");
        assertTrue(sim.net.totals().sent() > sentBefore, "the others keep ticking");
        assertFalse(sim.node(0).engine().peers().contains(middle.sid()), "A forgets the stopped node");
        assertFalse(sim.node(0).engine().peers().contains(sim.node(2).sid()), "and what was behind it");
    }
}
