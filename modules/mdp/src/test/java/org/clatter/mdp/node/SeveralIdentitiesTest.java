package org.clatter.mdp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.Sid;
import org.clatter.mdp.TestCrypto;
import org.clatter.mdp.engine.MeshEngine.Security;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.SimNetwork;
import org.junit.jupiter.api.Test;

/** A node serves every keyring identity: A - B - C where B holds two identities, B1 (primary) and B2. */
class SeveralIdentitiesTest {
    private static Identity id(int n, String did) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        seed[31] = 7;
        return Identity.fromSeed(TestCrypto.get(), seed, new byte[0], did, "id" + n);
    }

    @Test
    void secondaryIdentitiesAreReachableAndAnswerAsThemselves() {
        VirtualScheduler scheduler = new VirtualScheduler();
        SimNetwork net = new SimNetwork(scheduler, 9);
        Identity b1 = id(2, "5552001");
        Identity b2 = id(3, "5552002");
        MdpNode a = MdpNode.simulated(TestCrypto.get(), List.of(id(1, "5551001")), 1, net, "A");
        MdpNode b = MdpNode.simulated(TestCrypto.get(), List.of(b1, b2), 2, net, "B");
        MdpNode c = MdpNode.simulated(TestCrypto.get(), List.of(id(4, "5553001")), 3, net, "C");
        net.link("A", "B", LinkProfile.ideal());
        net.link("B", "C", LinkProfile.ideal());
        List.of(a, b, c).forEach(MdpNode::start);
        scheduler.runFor(Duration.ofSeconds(8).toNanos());
        assertEquals(List.of(b1, b2), b.identities());
        assertTrue(a.engine().peers().contains(b2.sid()), "A learns B2 from B's adverts: " + a.engine().peers());
        assertTrue(c.engine().peers().contains(b2.sid()));
        assertTrue(!b.engine().peers().contains(b2.sid()), "B does not list its own identity as a peer");

        List<Datagram> atB2 = new ArrayList<>();
        List<Datagram> atB1 = new ArrayList<>();
        b.call(now -> b.sockets().bind(b2.sid(), 900, atB2::add)).join();
        b.call(now -> b.sockets().bind(b1.sid(), 901, atB1::add)).join();
        List<Datagram> atA = new ArrayList<>();
        MdpSocket s = a.call(now -> a.sockets().bind(0, atA::add)).join();
        a.call(now -> s.send(b2.sid(), 900, Security.CRYPTED, "to b2".getBytes(StandardCharsets.UTF_8))).join();
        a.call(now -> s.send(b2.sid(), 901, Security.CRYPTED, "wrong sid".getBytes(StandardCharsets.UTF_8))).join();
        List<Ping.Reply> replies = new ArrayList<>();
        Ping ping = a.call(now -> Ping.open(a.sockets(), replies::add)).join();
        a.call(now -> ping.send(b2.sid(), 1, now)).join();
        scheduler.runFor(Duration.ofSeconds(2).toNanos());
        assertEquals(1, atB2.size());
        assertEquals(b2.sid(), atB2.getFirst().to());
        assertEquals(Security.CRYPTED, atB2.getFirst().security());
        assertEquals(0, atB1.size(), "a socket bound to B1 only does not get B2's datagrams");
        assertEquals(1, replies.size());
        assertEquals(b2.sid(), replies.getFirst().from(), "the echo comes back from the identity pinged");

        // C answers B2 as it: the reply crosses B from its secondary identity.
        MdpSocket fromB2 = b.call(now -> b.sockets().bind(b2.sid(), 0, d -> { })).join();
        List<Datagram> atC = new ArrayList<>();
        c.call(now -> c.sockets().bind(950, atC::add)).join();
        b.call(now -> fromB2.send(c.sid(), 950, Security.SIGNED, new byte[] {9})).join();
        scheduler.runFor(Duration.ofSeconds(1).toNanos());
        assertEquals(1, atC.size());
        assertEquals(b2.sid(), atC.getFirst().from());
        assertEquals(Security.SIGNED, atC.getFirst().security());

        MdpSocket q = a.call(now -> a.sockets().bind(0, atA::add)).join();
        a.call(now -> {
            a.sockets().startDnaLookup(q, "5552002");
            return null;
        }).join();
        scheduler.runFor(Duration.ofSeconds(1).toNanos());
        assertEquals(1, atA.size(), atA.toString());
        assertEquals(b2.sid(), atA.getFirst().from());
        assertTrue(new String(atA.getFirst().data(), StandardCharsets.UTF_8).startsWith(b2.sid() + "|sid://"));
        assertEquals(Sid.class, atA.getFirst().from().getClass());
    }
}
