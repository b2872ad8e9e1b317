package org.clatter.tools.bench.msp;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.crypto.BouncyCastleCryptoProvider;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspConnection;
import org.clatter.msp.mdp.MdpDatagramLayer;
import org.clatter.msp.mdp.MspNode;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;

/**
 * Two Clatter nodes ({@link MeshNode} + {@link MspNode}) on loopback UDP (127.1.0.1 and .2), one encrypted MSP
 * stream between them: every MSP packet is a crypted MDP frame in its own UDP datagram. Loss is injected on every
 * datagram either node sends (MDP's own ticks and acks included).
 */
final class MdpPair {
    /** The message size: the largest one MSP-over-MDP packet carries. */
    static final int MESSAGE = MdpDatagramLayer.MAX_PACKET - 5;
    static volatile int largestDatagram;

    /** The default provider, made directly: the benchmark jar runs on the class path, where module providers hide. */
    static Crypto crypto() {
        return new BouncyCastleCryptoProvider().create(Config.empty());
    }

    /** Bytes per second delivered, checked in order; incomplete transfers count what arrived in time. */
    static double stream(MspConfig cfg, double loss, long messages, long maxSeconds, boolean counters)
            throws Exception {
        int port = 4200 + new SplittableRandom().nextInt(20000);
        Crypto crypto = crypto();
        try (Transport t = new UdpTransportProvider().create(Config.of("udp.receive_buffer",
                "4194304", "udp.send_buffer", "4194304"));
             MeshNode a = new MeshNode(crypto(), Identity.generate(crypto, "", "A"), 1);
             MeshNode b = new MeshNode(crypto(), Identity.generate(crypto, "", "B"), 2)) {
            Link la = new LossyLink(t.open("127.1.0.1/24:" + port), loss, 11);
            Link lb = new LossyLink(t.open("127.1.0.2/24:" + port), loss, 12);
            a.addLink(la, List.of(lb.localAddress()));
            b.addLink(lb, List.of(la.localAddress()));
            MspNode ma = MspNode.on(a, cfg);
            MspNode mb = MspNode.on(b, cfg);
            a.start();
            b.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!a.call(n -> a.engine().reachability(b.sid()).reachable()).get()
                    || !b.call(n -> b.engine().reachability(a.sid()).reachable()).get()) {
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
            MspAddress remote = MspAddress.of(b.sid().toBytes(), 9);
            ma.call(e -> {
                MspConnection c = e.connect(ma.layer().primaryIdentity(), remote, sender);
                sender.fill(c);
                return c;
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
                        + "\n  mesh A " + a.call(n -> a.engine().events()).get()
                        + "\n  udp A " + UdpTransportProvider.counters(((LossyLink) la).link).orElseThrow()
                        + "\n  udp B " + UdpTransportProvider.counters(((LossyLink) lb).link).orElseThrow()
                        + "\n  receiver " + mb.call(e -> e.counters().toString()).get());
            }
            ma.close();
            mb.close();
            return bytes / ((end - start) / 1e9);
        }
    }

    /** A link that drops each sent datagram with probability {@code loss}; records the largest datagram. */
    static final class LossyLink implements Link {
        final Link link;
        private final double loss;
        private final SplittableRandom random;

        LossyLink(Link link, double loss, long seed) {
            this.link = link;
            this.loss = loss;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public LinkInfo info() {
            return link.info();
        }

        @Override
        public LinkState state() {
            return link.state();
        }

        @Override
        public LinkAddress localAddress() {
            return link.localAddress();
        }

        @Override
        public Optional<LinkAddress> broadcastAddress() {
            return link.broadcastAddress();
        }

        @Override
        public LinkAddress parseAddress(String text) {
            return link.parseAddress(text);
        }

        @Override
        public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
            if (length > largestDatagram) {
                largestDatagram = length;
            }
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

        @Override
        public void start(FrameSink sink) {
            link.start(sink);
        }

        @Override
        public void addStateListener(LinkStateListener listener) {
            link.addStateListener(listener);
        }

        @Override
        public void close() {
            link.close();
        }
    }
}
