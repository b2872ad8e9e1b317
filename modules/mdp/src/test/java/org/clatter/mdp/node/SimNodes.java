package org.clatter.mdp.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clatter.mdp.Identity;
import org.clatter.mdp.TestCrypto;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.SimNetwork;
import org.clatter.core.time.VirtualScheduler;

/** A line of {@link MdpNode}s on the simulated network, deterministic from the seed. */
final class SimNodes {
    final VirtualScheduler scheduler = new VirtualScheduler();
    final SimNetwork net;
    final List<MdpNode> nodes = new ArrayList<>();

    SimNodes(long seed, int n, LinkProfile profile) {
        net = new SimNetwork(scheduler, seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            byte[] s = new byte[32];
            for (int j = 0; j < 32; j++) {
                s[j] = (byte) r.nextInt(256);
            }
            Identity id = Identity.fromSeed(TestCrypto.get(), s, new byte[0], "555" + (1000 + i), "N" + i);
            nodes.add(MdpNode.simulated(TestCrypto.get(), List.of(id), r.nextLong(), net, "N" + i));
        }
        for (int i = 1; i < n; i++) {
            net.link("N" + (i - 1), "N" + i, profile);
        }
        nodes.forEach(MdpNode::start);
    }

    MdpNode node(int i) {
        return nodes.get(i);
    }

    void run(Duration d) {
        scheduler.runFor(d.toNanos());
    }

    /** Runs until every node reaches every other (or the time is up); returns whether it converged. */
    boolean converge(Duration max) {
        long end = scheduler.clock().nanos() + max.toNanos();
        while (scheduler.clock().nanos() < end) {
            run(Duration.ofMillis(100));
            boolean all = true;
            for (MdpNode a : nodes) {
                all &= a.engine().peers().size() == nodes.size() - 1;
            }
            if (all) {
                return true;
            }
        }
        return false;
    }
}
