package org.clatter.mdp.engine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.Sid;
import org.clatter.mdp.TestCrypto;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.transport.FrameSink;
import org.clatter.core.buffer.ArraySlot;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.transport.sim.SimNetwork;

/**
 * MeshEngines on the simulated network: one engine per node, received frames fed straight into the engine, polls
 * scheduled at the times the engine asks for. Deterministic for a given seed (identities too).
 */
final class SimMesh {
    final VirtualScheduler scheduler = new VirtualScheduler();
    final SimNetwork net;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final List<String> log = new ArrayList<>();
    private final Crypto crypto = TestCrypto.get();
    private final long seed;

    SimMesh(long seed) {
        this.seed = seed;
        this.net = new SimNetwork(scheduler, seed);
    }

    long now() {
        return scheduler.clock().nanos();
    }

    /** Starts engines on every node added to the network so far. */
    SimMesh start() {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        for (String name : net.nodes()) {
            if (nodes.containsKey(name)) {
                continue;
            }
            byte[] s = new byte[32];
            for (int i = 0; i < 32; i++) {
                s[i] = (byte) r.nextInt(256);
            }
            Identity id = Identity.fromSeed(crypto, s, new byte[0], "", name);
            Node n = new Node(name, id, r.nextLong());
            nodes.put(name, n);
        }
        nodes.values().forEach(Node::open);
        return this;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    void run(long nanos) {
        scheduler.runFor(nanos);
    }

    /** A received datagram. */
    record Received(String at, Sid from, long srcPort, long dstPort, MeshEngine.Security security, byte[] data,
                    long nanos) {
    }

    final class Node implements MeshEngine.Listener, MeshEngine.Output, FrameSink {
        final String name;
        final MeshEngine engine;
        final List<Received> received = new ArrayList<>();
        /** Copies of every packet this node received, when {@link #recording} is on (for replay tests). */
        final List<byte[]> recorded = new ArrayList<>();
        boolean recording;
        private Link link;
        private int iface;
        private long scheduledAt = Long.MAX_VALUE;
        private final ArraySlot slot = new ArraySlot(2048);

        Node(String name, Identity id, long engineSeed) {
            this.name = name;
            this.engine = new MeshEngine(crypto, id, engineSeed, this);
        }

        Sid sid() {
            return engine.sid();
        }

        /** This node's address on the simulated network (what its neighbours see as the sender). */
        LinkAddress address() {
            return link.localAddress();
        }

        void open() {
            link = net.transport(name).open(name);
            iface = engine.addInterface(true);
            link.start(this);
            wake(now());
        }

        void wake(long at) {
            if (at >= scheduledAt) {
                return;
            }
            scheduledAt = at;
            scheduler.schedule(at, () -> {
                if (scheduledAt != at) {
                    return;
                }
                scheduledAt = Long.MAX_VALUE;
                wake(Math.max(now() + 1, engine.poll(now(), this)));
            });
        }

        @Override
        public void datagram(Sid from, long srcPort, Sid to, long dstPort, MeshEngine.Security security, byte[] data,
                             long nowNanos) {
            received.add(new Received(name, from, srcPort, dstPort, security, data, nowNanos));
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
                if (recording) {
                    recorded.add(java.util.Arrays.copyOf(slot.bytes(), slot.length()));
                }
                engine.receive(iface, slot.source(), slot.segment(), 0, slot.length(), now());
                wake(now());
            }
            slot.clear();
        }
    }
}
