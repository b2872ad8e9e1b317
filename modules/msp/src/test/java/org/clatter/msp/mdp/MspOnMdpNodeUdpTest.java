package org.clatter.msp.mdp;

import org.clatter.msp.OwnThread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.MdpNode;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspStreams;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;

/** MSP on two real-time {@link MdpNode}s (core pipeline) over UDP on loopback: 2 MB arrive intact. */
class MspOnMdpNodeUdpTest {
    @Test
    void twoMegabytesArriveIntactOverTheNodesSockets() throws Exception {
        Crypto crypto = MdpCrypto.load();
        int port = MspNodeUdpTest.freePort();
        MdpNode a = MdpNode.realTime(MdpCrypto.load(), List.of(Identity.generate(crypto, "2001", "A")), 1)
                .addInterface("udp:127.1.0.1/24:" + port, List.of("127.1.0.2:" + port));
        MdpNode b = MdpNode.realTime(MdpCrypto.load(), List.of(Identity.generate(crypto, "2002", "B")), 2)
                .addInterface("udp:127.1.0.2/24:" + port, List.of("127.1.0.1:" + port));
        MspNode ma = MspNode.on(a, MspConfig.defaults());
        MspNode mb = MspNode.on(b, MspConfig.defaults());
        try {
            a.start();
            b.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline
                    && !(a.call(n -> a.engine().reachability(b.sid()).reachable()).get()
                    && b.call(n -> b.engine().reachability(a.sid()).reachable()).get())) {
                Thread.sleep(50);
            }
            assertTrue(a.call(n -> a.engine().reachability(b.sid()).reachable()).get(), "A reaches B over UDP");
            byte[] data = new byte[2 * 1024 * 1024];
            new SplittableRandom(9).nextBytes(data);
            CompletableFuture<MspStreams> accepted = new CompletableFuture<>();
            mb.call(e -> e.listen(MspAddress.anyIdentity(555), c -> {
                MspStreams s = new MspStreams(mb.scheduler()).attach(c);
                accepted.complete(s);
                return s;
            })).get();
            MspStreams client = new MspStreams(ma.scheduler());
            MspAddress remote = MspAddress.of(b.sid().toBytes(), 555);
            ma.call(e -> client.attach(e.connect(ma.layer().primaryIdentity(), remote, client))).get();
            CompletableFuture<byte[]> received = OwnThread.supply(() -> {
                try (InputStream in = accepted.get(20, TimeUnit.SECONDS).inputStream()) {
                    return in.readAllBytes();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            try (OutputStream out = client.outputStream()) {
                out.write(data);
            }
            byte[] got = received.get(60, TimeUnit.SECONDS);
            System.out.printf("2 MB over MSP on MdpNode (pipeline) over UDP loopback in %.2f s%n",
                    (System.nanoTime() - t0) / 1e9);
            assertEquals(data.length, got.length);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                    MessageDigest.getInstance("SHA-256").digest(got));
            long delivered = b.call(n -> ((MdpSocketLayer) mb.layer()).counters().get("msp.mdp.delivered")).get();
            assertTrue(delivered >= data.length / MdpDatagramLayer.MAX_PACKET,
                    "the data came through B's MDP socket: " + delivered);
        } finally {
            ma.close();
            mb.close();
            a.close();
            b.close();
        }
    }
}
