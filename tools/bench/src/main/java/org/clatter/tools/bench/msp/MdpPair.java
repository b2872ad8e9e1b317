package org.clatter.tools.bench.msp;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.crypto.BouncyCastleCryptoProvider;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.mdp.node.MdpNode;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspConnection;
import org.clatter.msp.mdp.MdpDatagramLayer;
import org.clatter.msp.mdp.MspNode;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;
import org.clatter.tools.bench.link.ForwardingLink;

/**
 * Two Clatter nodes ({@link MdpNode#realTime} by default, or {@link MeshNode} with {@code -Dmsp.bench.path=meshnode};
 * MSP on each through {@link MspNode}) on loopback UDP (127.1.0.1 and .2), one encrypted MSP stream between them:
 * every MSP packet is a crypted MDP frame in its own UDP datagram. Loss is injected on every
 * datagram either node sends (MDP's own ticks and acks included).
 */
final class MdpPair {
    /** The message size: the largest one MSP-over-MDP packet carries. */
    static final int MESSAGE = MdpDatagramLayer.MAX_PACKET - 5;
    /** How many datagrams of each size (2048: larger) the stream's links sent, for the bare blast's size. */
    static final java.util.concurrent.atomic.AtomicLongArray SIZES = new java.util.concurrent.atomic.AtomicLongArray(2049);

    /**
     * The stream's datagram size: the most common one sent (the first frames after a node starts may carry full
     * addresses and be larger; the largest made the bare blast's datagrams 57 bytes longer than the stream's).
     */
    static int commonDatagram() {
        int best = 0;
        for (int i = 1; i < SIZES.length(); i++) {
            if (SIZES.get(i) > SIZES.get(best)) {
                best = i;
            }
        }
        return best;
    }

    /** The default provider, made directly: the benchmark jar runs on the class path, where module providers hide. */
    static Crypto crypto() {
        return new BouncyCastleCryptoProvider().create(Config.empty());
    }

    /**
     * Which node runtime carries the stream: {@code node} (default) is the product path, {@link MdpNode#realTime}
     * (core pipeline: inbound ring, engine thread, outbound ring) with MSP on its sockets ({@code MdpSocketLayer});
     * {@code meshnode} is {@link MeshNode} (one blocking queue) with MSP's {@code MdpDatagramLayer}.
     */
    static final String PATH = System.getProperty("msp.bench.path", "node");

    /** One side: an engine on its own thread, a {@link MeshNode} or an {@link MdpNode} (the other is null). */
    private record Side(MeshNode mesh, MdpNode node) implements AutoCloseable {
        <T> java.util.concurrent.CompletableFuture<T> call(java.util.function.Function<MeshEngine, T> fn) {
            return mesh != null ? mesh.call(now -> fn.apply(mesh.engine())) : node.call(now -> fn.apply(node.engine()));
        }

        Sid sid() {
            return mesh != null ? mesh.sid() : node.sid();
        }

        /** MSP on this side, then the node started. */
        MspNode msp(MspConfig cfg) {
            MspNode m = mesh != null ? MspNode.on(mesh, cfg) : MspNode.on(node, cfg);
            if (mesh != null) {
                mesh.start();
            } else {
                node.start();
            }
            return m;
        }

        @Override
        public void close() {
            if (mesh != null) {
                mesh.close();
            } else {
                node.close();
            }
        }
    }

    private static Side side(Identity id, long seed, Link link, LinkAddress peer) {
        if (PATH.equals("meshnode")) {
            return new Side(new MeshNode(crypto(), id, seed).addLink(link, List.of(peer)), null);
        }
        return new Side(null, MdpNode.realTime(crypto(), List.of(id), seed).addLink(link, List.of(peer)));
    }

    /** Bytes per second delivered, checked in order; incomplete transfers count what arrived in time. */
    static double stream(MspConfig cfg, double loss, long messages, long maxSeconds, boolean counters)
            throws Exception {
        int port = 4200 + new SplittableRandom().nextInt(20000);
        Crypto crypto = crypto();
        try (Transport t = new UdpTransportProvider().create(Config.of("udp.receive_buffer",
                "4194304", "udp.send_buffer", "4194304", "udp.native", System.getProperty("udp.native", "auto")))) {
            Link la = new LossyLink(t.open("127.1.0.1/24:" + port), loss, 11);
            Link lb = new LossyLink(t.open("127.1.0.2/24:" + port), loss, 12);
            try (Side a = side(Identity.generate(crypto, "", "A"), 1, la, lb.localAddress());
                 Side b = side(Identity.generate(crypto, "", "B"), 2, lb, la.localAddress())) {
                MspNode ma = a.msp(cfg);
                MspNode mb = b.msp(cfg);
                double r = run(cfg, a, b, ma, mb, la, lb, messages, maxSeconds, counters);
                ma.close();
                mb.close();
                return r;
            }
        }
    }

    private static double run(MspConfig cfg, Side a, Side b, MspNode ma, MspNode mb, Link la, Link lb,
                              long messages, long maxSeconds, boolean counters) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Sid bSid = b.sid();
        Sid aSid = a.sid();
        while (!a.call(e -> e.reachability(bSid).reachable()).get()
                || !b.call(e -> e.reachability(aSid).reachable()).get()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the two nodes did not find each other");
            }
            Thread.sleep(20);
        }
        Pump receiver = new Pump(MESSAGE, messages);
        Pump sender = new Pump(MESSAGE, messages);
        mb.call(e -> e.listen(MspAddress.anyIdentity(9), c -> receiver)).get();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
        MspAddress remote = MspAddress.of(bSid.toBytes(), 9);
        MspConnection conn = ma.call(e -> e.connect(ma.layer().primaryIdentity(), remote, sender)).get();
        ma.call(e -> {
            sender.fill(conn);
            return null;
        }).get();
        long got = 0;
        while (System.nanoTime() < deadline && got < messages) {
            Thread.sleep(5);
            got = mb.call(e -> receiver.received).get();
        }
        long end = System.nanoTime();
        long bytes = mb.call(e -> {
            if (receiver.failure != null) {
                throw new IllegalStateException("MSP over MDP delivered wrong data: " + receiver.failure);
            }
            return receiver.receivedBytes;
        }).get();
        if (counters) {
            System.out.println("  sender " + ma.call(e -> e.counters() + " " + ma.layer().counters()).get()
                    + "\n  mesh A " + a.call(MeshEngine::events).get()
                    + "\n  udp A " + UdpTransportProvider.counters(((LossyLink) la).inner()).orElseThrow()
                    + "\n  udp B " + UdpTransportProvider.counters(((LossyLink) lb).inner()).orElseThrow()
                    + "\n  mesh B " + b.call(MeshEngine::events).get()
                    + "\n  receiver " + mb.call(e -> e.counters().toString()).get());
        }
        return bytes / ((end - start) / 1e9);
    }

    /** A link that drops each sent datagram with probability {@code loss}; counts datagrams by size. */
    static final class LossyLink extends ForwardingLink {
        private final double loss;
        private final SplittableRandom random;

        LossyLink(Link link, double loss, long seed) {
            super(link);
            this.loss = loss;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
            SIZES.incrementAndGet(Math.clamp(length, 0, 2048));
            if (loss > 0 && random.nextDouble() < loss) {
                return SendResult.SENT;
            }
            return link.send(destination, frame, offset, length);
        }

        @Override
        public int broadcast(MemorySegment frame, long offset, int length) {
            if (loss > 0 && random.nextDouble() < loss) {
                return SendResult.SENT;
            }
            return link.broadcast(frame, offset, length);
        }
    }
}
