package org.clatter.msp;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.msp.mdp.MdpDatagramLayer;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.transport.FrameSink;
import org.clatter.core.buffer.ArraySlot;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.SimNetwork;

/**
 * MeshEngines in a line on the simulated network, each with an MSP engine over an {@link MdpDatagramLayer}, all
 * driven by one {@link VirtualScheduler}: deterministic for a seed.
 */
final class MdpMeshLine {
    static final Crypto CRYPTO = MdpCrypto.load();
    final VirtualScheduler scheduler = new VirtualScheduler();
    final SimNetwork net;
    final List<String> names;
    final List<Node> nodes = new ArrayList<>();

    MdpMeshLine(long seed, int n, MspConfig config) {
        net = new SimNetwork(scheduler, seed);
        names = net.line(n, LinkProfile.ideal().withLatency(Duration.ofMillis(2)));
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eedL);
        for (String name : names) {
            byte[] s = new byte[32];
            r.nextBytes(s);
            nodes.add(new Node(name, Identity.fromSeed(CRYPTO, s, new byte[0], "", name), r.nextLong(), config));
        }
        nodes.forEach(Node::open);
    }

    long now() {
        return scheduler.clock().nanos();
    }

    /** Runs until every node has a route to every other (at most 30 s of virtual time); false if not. */
    boolean converge() {
        for (int i = 0; i < 300; i++) {
            scheduler.runFor(100_000_000L);
            boolean all = true;
            for (Node a : nodes) {
                for (Node b : nodes) {
                    if (a != b && !a.mesh.reachability(b.mesh.sid()).reachable()) {
                        all = false;
                    }
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Sets every link's profile (both ways). */
    void profile(LinkProfile p) {
        for (int i = 0; i + 1 < names.size(); i++) {
            net.link(names.get(i), names.get(i + 1), p);
        }
    }

    Node node(int i) {
        return nodes.get(i);
    }

    final class Node implements MeshEngine.Output, FrameSink {
        final String name;
        final MeshEngine mesh;
        final MdpDatagramLayer layer;
        final MspEngine msp;
        final MspAddress identity;
        private final ArraySlot slot = new ArraySlot(2048);
        private Link link;
        private long scheduledAt = Long.MAX_VALUE;
        private boolean polling;

        Node(String name, Identity id, long seed, MspConfig config) {
            this.name = name;
            MdpDatagramLayer[] l = new MdpDatagramLayer[1];
            this.mesh = new MeshEngine(CRYPTO, id, seed, (f, sp, t, dp, sec, d, now) ->
                    l[0].datagram(f, sp, t, dp, sec, d, now));
            this.layer = new MdpDatagramLayer(mesh, scheduler.clock(), () -> wake(now()));
            l[0] = layer;
            this.msp = new MspEngine(layer, config, scheduler);
            layer.attach(msp);
            this.identity = layer.primaryIdentity();
        }

        void open() {
            link = net.transport(name).open(name);
            mesh.addInterface(true);
            link.start(this);
            wake(now());
        }

        void wake(long at) {
            if (at >= scheduledAt || polling && at <= now()) {
                return;
            }
            scheduledAt = at;
            scheduler.schedule(at, () -> {
                if (scheduledAt != at) {
                    return;
                }
                scheduledAt = Long.MAX_VALUE;
                polling = true;
                long next;
                try {
                    next = mesh.poll(now(), this);
                } finally {
                    polling = false;
                }
                wake(Math.max(now() + 1, next));
            });
        }

        @Override
        public void unicast(int i, LinkAddress to, MemorySegment packet, long offset, int length) {
            link.send(to, packet, offset, length);
        }

        @Override
        public void broadcast(int i, MemorySegment packet, long offset, int length) {
            link.broadcast(packet, offset, length);
        }

        @Override
        public FrameSlot claim() {
            return slot.clear();
        }

        @Override
        public void publish(FrameSlot s) {
            if (slot.full()) {
                mesh.receive(0, slot.source(), slot.segment(), 0, slot.length(), now());
                wake(now());
            }
            slot.clear();
        }
    }
}
