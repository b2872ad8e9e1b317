package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.mdp.Sid;
import org.clatter.mdp.TestCrypto;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;
import org.junit.jupiter.api.Test;

/** Two nodes over real UDP on loopback addresses find each other and ping each other (crypted echo, port 7). */
class MeshNodeUdpTest {
    private final Crypto crypto = TestCrypto.get();

    static int freePort() {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("0.0.0.0", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void twoNodesOnLoopbackPingEachOther() throws Exception {
        int port = freePort();
        try (Transport t = new UdpTransportProvider().create(Config.empty());
             MeshNode a = new MeshNode(TestCrypto.get(), Identity.generate(crypto, "1001", "A"), 1);
             MeshNode b = new MeshNode(TestCrypto.get(), Identity.generate(crypto, "1002", "B"), 2)) {
            var la = t.open("127.1.0.1/24:" + port);
            var lb = t.open("127.1.0.2/24:" + port);
            // Plain 127.x addresses have no broadcast address, so each node names the other as a static peer.
            a.addLink(la, List.of(lb.localAddress()));
            b.addLink(lb, List.of(la.localAddress()));
            LinkedBlockingQueue<Long> rttA = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<Long> rttB = new LinkedBlockingQueue<>();
            a.addListener((from, sp, to, dp, sec, data, now) -> {
                if (dp == 257 && from.equals(b.sid()) && sec == MeshEngine.Security.CRYPTED) {
                    rttA.add(now - ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(4));
                }
            });
            b.addListener((from, sp, to, dp, sec, data, now) -> {
                if (dp == 257 && from.equals(a.sid())) {
                    rttB.add(now - ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(4));
                }
            });
            a.start();
            b.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !(peers(a).contains(b.sid()) && peers(b).contains(a.sid()))) {
                Thread.sleep(100);
            }
            assertEquals(List.of(b.sid()), peers(a), "A lists B as its peer; A: "
                    + a.call(now -> a.engine().events()).get() + UdpTransportProvider.counters(la));
            assertEquals(List.of(a.sid()), peers(b), "B lists A as its peer");
            for (int i = 0; i < 5; i++) {
                ping(a, b.sid(), i);
                ping(b, a.sid(), i);
            }
            for (int i = 0; i < 5; i++) {
                Long ra = rttA.poll(3, TimeUnit.SECONDS);
                Long rb = rttB.poll(3, TimeUnit.SECONDS);
                assertTrue(ra != null && rb != null, "a reply in each direction for ping " + i + "; A "
                        + a.call(now -> a.engine().events()).get() + " B " + b.call(now -> b.engine().events() + " " + b.engine().counters().snapshot()).get());
                assertTrue(ra < TimeUnit.SECONDS.toNanos(1) && rb < TimeUnit.SECONDS.toNanos(1), ra + " " + rb);
            }
            long errors = a.call(now -> a.engine().counters().errors() + b.engine().counters().errors()).get();
            assertEquals(0L, errors);
        }
    }

    private static void ping(MeshNode from, Sid to, int seq) throws Exception {
        boolean sent = from.call(now -> {
            byte[] p = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(seq).putLong(now).array();
            return from.engine().send(to, MeshEngine.PORT_ECHO, 257, p, 0, 12, now);
        }).get(2, TimeUnit.SECONDS);
        assertTrue(sent, "a route to " + to);
    }

    private static List<Sid> peers(MeshNode n) throws Exception {
        return n.call(now -> n.engine().peers()).get(2, TimeUnit.SECONDS);
    }
}
