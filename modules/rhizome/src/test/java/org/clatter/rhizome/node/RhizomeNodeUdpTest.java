package org.clatter.rhizome.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.MdpNode;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RhizomeNode} on two real-time {@link MdpNode}s over UDP on loopback: a 1 MiB bundle added at A appears at B intact. */
class RhizomeNodeUdpTest {
    static int freePort() throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    @Test
    void aBundleCrossesTwoRealTimeNodesOverUdp(@TempDir Path dir) throws Exception {
        Crypto crypto = MdpCrypto.load();
        int port = freePort();
        MdpNode a = MdpNode.realTime(crypto, List.of(Identity.generate(crypto, "", "A")), 1)
                .addInterface("udp:127.1.0.1/24:" + port, List.of("127.1.0.2:" + port));
        MdpNode b = MdpNode.realTime(MdpCrypto.load(), List.of(Identity.generate(crypto, "", "B")), 2)
                .addInterface("udp:127.1.0.2/24:" + port, List.of("127.1.0.1:" + port));
        try (RhizomeStore sa = RhizomeStore.open(dir.resolve("a")); RhizomeStore sb = RhizomeStore.open(dir.resolve("b"))) {
            a.start();
            b.start();
            RhizomeNode ra = RhizomeNode.start(a, sa);
            RhizomeNode rb = RhizomeNode.start(b, sb);
            try {
                byte[] payload = new byte[1 << 20];
                new SplittableRandom(5).nextBytes(payload);
                Manifest m = sa.add(Map.of("service", "file", "name", "udp.bin"), RhizomeIdentity.generate(sa.crypto()),
                        BundleKeys.generate(sa.crypto()), new ByteArrayInputStream(payload), 1);
                ra.bundleAdded(m);
                long t0 = System.nanoTime();
                long deadline = t0 + TimeUnit.SECONDS.toNanos(40);
                while (System.nanoTime() < deadline && sb.manifest(m.idHex()).isEmpty()) {
                    Thread.sleep(50);
                }
                System.out.printf("1 MiB bundle A -> B over UDP loopback in %.2f s%n", (System.nanoTime() - t0) / 1e9);
                String why = a.call(n -> ra.counters()).get() + " / " + b.call(n -> rb.counters()).get();
                assertTrue(sb.manifest(m.idHex()).isPresent(), "B stored A's bundle: " + why);
                try (InputStream in = sb.payload(m.idHex(), 0).orElseThrow()) {
                    assertEquals(java.util.HexFormat.of().formatHex(payload), java.util.HexFormat.of().formatHex(in.readAllBytes()));
                }
                assertTrue(b.call(n -> rb.counters().getOrDefault("tree.rx", 0L)).get() > 0, why);
            } finally {
                ra.close();
                rb.close();
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
