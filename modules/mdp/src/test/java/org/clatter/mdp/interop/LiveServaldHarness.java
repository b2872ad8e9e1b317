package org.clatter.mdp.interop;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;

/**
 * A Clatter node for live interop with a real servald, run by hand inside the {@code clattertest} network
 * namespace (never by the test suite):
 *
 * <pre>
 *   ip netns exec clattertest java ... org.clatter.mdp.interop.LiveServaldHarness \
 *       --name c --iface 127.1.0.3/24:4110 [--iface ...] [--ping SID ...] [--seconds 30]
 * </pre>
 *
 * The identity derives from {@code --name} (SHA-256 of "clatter-interop-" + name), so the SID is the same on
 * every run. Every 2 s it prints the peers and their reachability; with {@code --ping} it sends a crypted echo
 * request (port 7) to each SID every second and prints every reply with its round-trip time; at the end it prints
 * the engine's event and decoder counters.
 *
 * <p>Running it: {@code mvn test-compile -pl modules/mdp}, {@code mvn dependency:build-classpath -pl modules/mdp}
 * into {@code CP}, then {@code ip netns exec clattertest java -p modules/mdp/target/classes:$CP
 * --patch-module org.clatter.mdp=modules/mdp/target/test-classes --add-modules ALL-MODULE-PATH
 * --add-reads org.clatter.mdp=org.clatter.transport.udp -m org.clatter.mdp/org.clatter.mdp.interop.LiveServaldHarness
 * ...}. Topologies verified against servald 029adc17 (2026-11-22):
 * <ul>
 *   <li>servald A (lo:a 127.1.0.1/24) and B (lo:b) with Clatter on 127.1.0.3/24: each side lists the other in
 *       {@code id peers}; {@code servald mdp ping <clatter>} and Clatter's pings to servald are answered;</li>
 *   <li>servald A on 127.1.0.1/24, servald E on a second subnet (127.2.0.2/24, label lo:e), Clatter on both
 *       ({@code --iface 127.1.0.3/24:4110 --iface 127.2.0.3/24:4110}): A and E see each other only as INDIRECT via
 *       Clatter; {@code servald mdp ping} and {@code mdp trace} from A to E cross the Clatter node;</li>
 *   <li>servald X with two interfaces (127.3.0.1/24 and 127.4.0.1/24), Clatter P on 127.3.0.3/24 and Q on
 *       127.4.0.3/24: P reaches Q as INDIRECT through X and Q answers P's pings through servald.</li>
 * </ul>
 *
 * <p>Each interface keeps only datagrams from its own subnet, as servald does ({@code overlay_interface_find}): with
 * two interfaces on one host, both wildcard sockets on port 4110 hear every broadcast, and without the filter a
 * neighbour heard on the wrong interface would be answered from an address it drops.
 */
public final class LiveServaldHarness {
    private LiveServaldHarness() {
    }

    public static void main(String[] args) throws Exception {
        String name = "c";
        List<String> ifaces = new ArrayList<>();
        List<Sid> pings = new ArrayList<>();
        int seconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--name" -> name = args[++i];
                case "--iface" -> ifaces.add(args[++i]);
                case "--ping" -> pings.add(Sid.parse(args[++i]));
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --name N --iface ADDR/PREFIX:PORT --ping SID --seconds S");
            }
        }
        if (ifaces.isEmpty()) {
            ifaces.add("127.1.0.3/24:4110");
        }
        Crypto crypto = MdpCrypto.load();
        byte[] seed = MessageDigest.getInstance("SHA-256")
                .digest(("clatter-interop-" + name).getBytes(StandardCharsets.UTF_8));
        Identity id = Identity.fromSeed(crypto, seed, new byte[0], "", "clatter-" + name);
        System.out.println("clatter SID " + id.sid());
        try (Transport t = new UdpTransportProvider().create(Config.empty());
             MeshNode node = new MeshNode(crypto, id, 42)) {
            for (String spec : ifaces) {
                Link l = new SubnetLink(t.open(spec), spec);
                node.addLink(l);
                System.out.println("interface " + spec + " bound " + l.localAddress() + " broadcast "
                        + l.info().broadcast());
            }
            long t0 = System.nanoTime();
            node.addListener((from, sp, to, dp, sec, data, now) -> {
                if (data.length >= 12 && pings.contains(from)) {
                    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                    int seq = b.getInt(0);
                    long sent = b.getLong(4);
                    System.out.printf("reply from %s port %d seq %d %s time %.2f ms%n", from, sp, seq, sec,
                            (now - sent) / 1e6);
                } else {
                    System.out.printf("datagram from %s:%d to port %d %s %d bytes%n", from, sp, dp, sec, data.length);
                }
            });
            node.start();
            long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
            int tick = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                tick++;
                final int seq = tick;
                for (Sid target : pings) {
                    boolean sent = node.call(now -> {
                        byte[] p = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(seq).putLong(now)
                                .array();
                        return node.engine().send(target, MeshEngine.PORT_ECHO, 0x4000 + 7, p, 0, 12, now);
                    }).get(2, TimeUnit.SECONDS);
                    if (!sent) {
                        System.out.println("ping " + seq + " to " + target + ": no route yet");
                    }
                }
                if (tick % 2 == 0) {
                    String peers = node.call(now -> {
                        StringBuilder sb = new StringBuilder();
                        for (var e : node.engine().router().table()) {
                            sb.append(' ').append(Sid.of(e.node()).abbreviation(8)).append('=')
                                    .append(e.reachability());
                        }
                        return node.engine().peers().size() + " peers:" + sb;
                    }).get(2, TimeUnit.SECONDS);
                    System.out.printf("t=%ds %s%n", tick, peers);
                }
            }
            System.out.println("peers: " + node.call(now -> node.engine().peers()).get());
            System.out.println("events: " + node.call(now -> node.engine().events()).get());
            System.out.println("decoder: " + node.call(now -> node.engine().counters().snapshot()).get());
        }
    }

    /** A link that drops datagrams whose source is outside the link's IPv4 subnet (servald's rule). */
    static final class SubnetLink implements Link {
        private final Link inner;
        private final int net;
        private final int mask;
        final java.util.concurrent.atomic.AtomicLong foreign = new java.util.concurrent.atomic.AtomicLong();

        SubnetLink(Link inner, String spec) {
            this.inner = inner;
            String addr = spec.substring(0, spec.indexOf('/'));
            String rest = spec.substring(spec.indexOf('/') + 1);
            int prefix = Integer.parseInt(rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest);
            this.mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            this.net = ipv4(addr) & mask;
        }

        private static int ipv4(String dotted) {
            int v = 0;
            for (String part : dotted.split("\\.")) {
                v = (v << 8) | Integer.parseInt(part);
            }
            return v;
        }

        private boolean inSubnet(org.clatter.spi.transport.LinkAddress a) {
            if (a instanceof org.clatter.transport.udp.UdpAddress u
                    && u.socketAddress().getAddress() instanceof java.net.Inet4Address v4) {
                byte[] b = v4.getAddress();
                int ip = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
                return (ip & mask) == net;
            }
            return false;
        }

        @Override
        public org.clatter.spi.transport.LinkInfo info() {
            return inner.info();
        }

        @Override
        public org.clatter.spi.transport.LinkState state() {
            return inner.state();
        }

        @Override
        public org.clatter.spi.transport.LinkAddress localAddress() {
            return inner.localAddress();
        }

        @Override
        public java.util.Optional<org.clatter.spi.transport.LinkAddress> broadcastAddress() {
            return inner.broadcastAddress();
        }

        @Override
        public org.clatter.spi.transport.LinkAddress parseAddress(String text) {
            return inner.parseAddress(text);
        }

        @Override
        public int send(org.clatter.spi.transport.LinkAddress d, java.lang.foreign.MemorySegment f, long o, int l) {
            return inner.send(d, f, o, l);
        }

        @Override
        public int broadcast(java.lang.foreign.MemorySegment f, long o, int l) {
            return inner.broadcast(f, o, l);
        }

        @Override
        public void start(org.clatter.spi.transport.FrameSink sink) {
            inner.start(new org.clatter.spi.transport.FrameSink() {
                @Override
                public org.clatter.spi.transport.FrameSlot claim() {
                    return new FilteredSlot(sink.claim());
                }

                @Override
                public void publish(org.clatter.spi.transport.FrameSlot slot) {
                    sink.publish(((FilteredSlot) slot).slot);
                }
            });
        }

        /** Passes a received datagram on only when its source is in the subnet. */
        private final class FilteredSlot implements org.clatter.spi.transport.FrameSlot {
            final org.clatter.spi.transport.FrameSlot slot;

            FilteredSlot(org.clatter.spi.transport.FrameSlot slot) {
                this.slot = slot;
            }

            @Override
            public java.lang.foreign.MemorySegment segment() {
                return slot.segment();
            }

            @Override
            public java.nio.ByteBuffer byteBuffer() {
                return slot.byteBuffer();
            }

            @Override
            public int capacity() {
                return slot.capacity();
            }

            @Override
            public void received(Link link, org.clatter.spi.transport.LinkAddress src, int len, long nanos) {
                if (inSubnet(src)) {
                    slot.received(SubnetLink.this, src, len, nanos);
                } else {
                    foreign.incrementAndGet();
                    slot.discard();
                }
            }

            @Override
            public void discard() {
                slot.discard();
            }
        }

        @Override
        public void addStateListener(org.clatter.spi.transport.LinkStateListener listener) {
            inner.addStateListener(listener);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
