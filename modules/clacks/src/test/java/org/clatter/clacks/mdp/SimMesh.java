package org.clatter.clacks.mdp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.MdpNode;
import org.clatter.spi.crypto.Crypto;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.SimNetwork;

/**
 * A line of simulated {@link MdpNode}s (deterministic from the seed) whose virtual clock a pump thread keeps in
 * step with real time, because Clacks nodes run on real time. {@link #engineThread} runs tasks on the pump
 * thread, which is the scheduler's (engine) thread.
 */
final class SimMesh implements AutoCloseable {
    final long seed;
    final VirtualScheduler scheduler = new VirtualScheduler();
    final SimNetwork net;
    final List<MdpNode> nodes = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean stop;
    private Thread pump;
    final Executor engineThread = tasks::add;

    SimMesh(long seed, int n, LinkProfile profile) {
        this.seed = seed;
        net = new SimNetwork(scheduler, seed);
        Crypto crypto = MdpCrypto.load();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            byte[] s = new byte[32];
            for (int j = 0; j < 32; j++) {
                s[j] = (byte) r.nextInt(256);
            }
            Identity id = Identity.fromSeed(crypto, s, new byte[0], "555" + (1000 + i), "N" + i);
            nodes.add(MdpNode.simulated(crypto, List.of(id), r.nextLong(), net, "N" + i));
        }
        for (int i = 1; i < n; i++) {
            net.link("N" + (i - 1), "N" + i, profile);
        }
        nodes.forEach(MdpNode::start);
    }

    /** Runs virtual time (on the caller's thread, before {@link #pump}) until every node routes to every other. */
    boolean converge(Duration max) {
        long end = scheduler.clock().nanos() + max.toNanos();
        while (scheduler.clock().nanos() < end) {
            scheduler.runFor(Duration.ofMillis(100).toNanos());
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

    /** From now on virtual time follows real time on the pump thread, which also runs {@link #engineThread}'s tasks. */
    SimMesh pump() {
        long v0 = scheduler.clock().nanos();
        long r0 = System.nanoTime();
        pump = Thread.ofPlatform().daemon().name("sim-pump").start(() -> {
            while (!stop) {
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                scheduler.runUntil(v0 + (System.nanoTime() - r0));
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    MdpNode node(int i) {
        return nodes.get(i);
    }

    @Override
    public void close() {
        stop = true;
        if (pump != null) {
            try {
                pump.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        nodes.forEach(MdpNode::close);
    }
}
