package org.clatter.rhizome.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.engine.MeshEngine.Security;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.MdpSocket;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.spi.crypto.Crypto;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.SimNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RhizomeNode's network entry point (MDP port 18) under arbitrary and mutated input: a neighbour broadcasts junk
 * tree messages and sends junk MSP packets, crypted, to port 18. Nothing throws out of the handler (the sockets'
 * {@code handler_error} counter stays 0), the junk is counted, and the node still syncs afterwards.
 */
class RhizomeNodeBadInputPropertiesTest {
    static final Crypto CRYPTO = MdpCrypto.load();
    static final long SECOND = 1_000_000_000L;

    static byte[] junk(long seed, int mode, byte[] validTree) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b;
        switch (mode) {
            case 0 -> b = new byte[r.nextInt(1100)]; // arbitrary length
            case 1 -> b = new byte[10 * (1 + r.nextInt(116))]; // whole records, random content
            case 2 -> { // a valid tree message with a few bytes changed
                b = validTree.clone();
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
                return b;
            }
            default -> b = new byte[1 + r.nextInt(990)]; // an MSP-sized packet
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        if (mode == 1) {
            for (int i = 0; i < b.length; i += 10) {
                b[i + 1] = (byte) r.nextInt(70); // prefix lengths around the valid range
            }
        }
        return b;
    }

    @Test
    void junkOnPort18IsCountedNeverThrownAndSyncStillWorks(@TempDir Path dir) {
        VirtualScheduler scheduler = new VirtualScheduler();
        SimNetwork net = new SimNetwork(scheduler, 3);
        SplittableRandom r = new SplittableRandom(3);
        byte[] s1 = new byte[32];
        byte[] s2 = new byte[32];
        r.nextBytes(s1);
        r.nextBytes(s2);
        MdpNode a = MdpNode.simulated(CRYPTO, List.of(Identity.fromSeed(CRYPTO, s1, new byte[0], "", "A")), 1, net, "A");
        MdpNode x = MdpNode.simulated(CRYPTO, List.of(Identity.fromSeed(CRYPTO, s2, new byte[0], "", "X")), 2, net, "X");
        net.link("A", "X", LinkProfile.ideal().withLatency(Duration.ofMillis(2)));
        a.start();
        x.start();
        try (RhizomeStore sa = RhizomeStore.open(dir.resolve("a")); RhizomeStore sx = RhizomeStore.open(dir.resolve("x"))) {
            RhizomeNode ra = RhizomeNode.start(a, sa, scheduler);
            for (int i = 0; i < 30 && !x.engine().reachability(a.sid()).reachable(); i++) {
                scheduler.runFor(SECOND / 10);
            }
            assertTrue(x.engine().reachability(a.sid()).reachable(), "A and X are neighbours");
            MdpSocket evil = x.sockets().bind(RhizomeNode.PORT, d -> { });
            byte[] validTree = {(byte) 0x80, 0x41, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 0x40, 1, 2, 3, 4, 5, 6, 7, 8};
            long[] sent = new long[2];
            qt().withExamples(300).forAll(longs().all(), integers().between(0, 3)).checkAssert((seed, mode) -> {
                byte[] b = junk(seed, mode, validTree);
                if (mode == 3 || (seed & 1) == 0) {
                    evil.send(a.sid(), RhizomeNode.PORT, Security.CRYPTED, b.length == 0 ? new byte[1] : b);
                    sent[1]++;
                } else {
                    evil.broadcast(RhizomeNode.PORT, Security.PLAIN, b, 1);
                    sent[0]++;
                }
                scheduler.runFor(SECOND / 20);
                assertEquals(0L, a.engine().registry().counter("mdp.sockets.handler_error").get(),
                        "seed=" + seed + " mode=" + mode + ": the handler threw; " + ra.counters());
            });
            Map<String, Long> c = ra.counters();
            assertTrue(c.getOrDefault("tree.rx", 0L) > 0 && c.getOrDefault("msp.packets.in", 0L) > 0,
                    "junk of both kinds reached the node: " + c + " sent " + sent[0] + "/" + sent[1]);
            // X turns honest: the node still syncs
            evil.close();
            RhizomeNode rx = RhizomeNode.start(x, sx, scheduler);
            Manifest m = sa.add(Map.of("service", "file", "name", "after-junk"), RhizomeIdentity.generate(sa.crypto()),
                    BundleKeys.generate(sa.crypto()), new ByteArrayInputStream(new byte[4000]), 1);
            ra.bundleAdded(m);
            for (int i = 0; i < 600 && sx.manifest(m.idHex()).isEmpty(); i++) {
                scheduler.runFor(SECOND / 10);
            }
            assertTrue(sx.manifest(m.idHex()).isPresent(), "A still syncs after the junk: " + ra.counters()
                    + " / " + rx.counters());
            rx.close();
            ra.close();
        } finally {
            a.close();
            x.close();
        }
    }
}
