package org.clatter.msp.mdp;

import org.clatter.msp.OwnThread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.security.MessageDigest;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspCloseReason;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspStreams;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportProvider;
import org.junit.jupiter.api.Test;

/** Two Clatter nodes (MeshNode + MSP) over real UDP on loopback: 10 MB in crypted MDP frames arrive intact. */
class MspNodeUdpTest {
    static int freePort() {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("0.0.0.0", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The UDP transport through ServiceLoader (the provider module is resolved, not read, by the test module). */
    static TransportProvider udp() {
        return java.util.ServiceLoader.load(TransportProvider.class).stream().map(java.util.ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("udp")).findFirst().orElseThrow();
    }

    /** Two started nodes that see each other, with MSP on each. */
    record Pair(Transport transport, MeshNode a, MeshNode b, MspNode ma, MspNode mb) implements AutoCloseable {
        static Pair start() throws Exception {
            Crypto crypto = MdpCrypto.load();
            int port = freePort();
            Transport t = udp().create(Config.empty());
            MeshNode a = new MeshNode(MdpCrypto.load(), Identity.generate(crypto, "2001", "A"), 1);
            MeshNode b = new MeshNode(MdpCrypto.load(), Identity.generate(crypto, "2002", "B"), 2);
            var la = t.open("127.1.0.1/24:" + port);
            var lb = t.open("127.1.0.2/24:" + port);
            a.addLink(la, List.of(lb.localAddress()));
            b.addLink(lb, List.of(la.localAddress()));
            MspNode ma = MspNode.on(a, MspConfig.defaults());
            MspNode mb = MspNode.on(b, MspConfig.defaults());
            a.start();
            b.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline
                    && !(a.call(n -> a.engine().reachability(b.sid()).reachable()).get()
                    && b.call(n -> b.engine().reachability(a.sid()).reachable()).get())) {
                Thread.sleep(50);
            }
            return new Pair(t, a, b, ma, mb);
        }

        @Override
        public void close() {
            ma.close();
            mb.close();
            a.close();
            b.close();
            transport.close();
        }
    }

    @Test
    void tenMegabytesArriveIntact() throws Exception {
        byte[] data = new byte[10 * 1024 * 1024];
        new SplittableRandom(4).nextBytes(data);
        try (Pair p = Pair.start()) {
            assertTrue(p.a().call(n -> p.a().engine().reachability(p.b().sid()).reachable()).get(),
                    "A reaches B over UDP");
            CompletableFuture<MspStreams> accepted = new CompletableFuture<>();
            p.mb().call(e -> e.listen(MspAddress.anyIdentity(555), c -> {
                MspStreams s = new MspStreams(p.mb().scheduler()).attach(c);
                accepted.complete(s);
                return s;
            })).get();
            MspStreams client = new MspStreams(p.ma().scheduler());
            MspAddress remote = MspAddress.of(p.b().sid().toBytes(), 555);
            p.ma().call(e -> client.attach(e.connect(p.ma().layer().primaryIdentity(), remote, client))).get();
            long t0 = System.nanoTime();
            CompletableFuture<byte[]> received = OwnThread.supply(() -> {
                try (InputStream in = accepted.get(20, TimeUnit.SECONDS).inputStream()) {
                    return in.readAllBytes();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (OutputStream out = client.outputStream()) {
                for (int off = 0; off < data.length; off += 64 * 1024) {
                    out.write(data, off, Math.min(64 * 1024, data.length - off));
                }
            }
            byte[] got = received.get(120, TimeUnit.SECONDS);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("10 MB over MSP/MDP/UDP loopback in %.2f s (%.1f MB/s)%n", secs,
                    data.length / secs / 1e6);
            assertEquals(data.length, got.length);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                    MessageDigest.getInstance("SHA-256").digest(got));
            accepted.get().outputStream().close();
            client.inputStream().readAllBytes();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.closeReason().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(MspCloseReason.NORMAL, client.closeReason().orElseThrow());
        }
    }
}
