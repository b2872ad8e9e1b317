package org.clatter.mdp.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.engine.MeshEngine.Security;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sockets API over a line of three simulated nodes A - B - C. */
class MdpSocketsTest {
    private SimNodes sim;
    private MdpNode a;
    private MdpNode b;
    private MdpNode c;

    @BeforeEach
    void mesh() {
        sim = new SimNodes(3, 3, LinkProfile.ideal().withLatency(Duration.ofMillis(3)));
        assertTrue(sim.converge(Duration.ofSeconds(10)));
        a = sim.node(0);
        b = sim.node(1);
        c = sim.node(2);
    }

    private static <T> T on(MdpNode n, java.util.function.Function<Long, T> fn) {
        try {
            return n.call(fn).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Test
    void unicastInEachSecurityModeArrivesWithSenderPortAndSecurity() {
        List<Datagram> atC = new ArrayList<>();
        MdpSocket server = on(c, now -> c.sockets().bind(Sid.ANY, 500, atC::add));
        MdpSocket client = on(a, now -> a.sockets().bind(0, d -> { }));
        for (Security s : Security.values()) {
            byte[] msg = ("hello " + s).getBytes(StandardCharsets.UTF_8);
            assertTrue((boolean) on(a, now -> client.send(c.sid(), 500, s, msg)));
        }
        sim.run(Duration.ofSeconds(1));
        assertEquals(3, atC.size(), atC.toString());
        for (int i = 0; i < 3; i++) {
            Datagram d = atC.get(i);
            Security s = Security.values()[i];
            assertEquals(s, d.security());
            assertEquals(a.sid(), d.from());
            assertEquals(client.port(), d.fromPort());
            assertEquals(c.sid(), d.to());
            assertEquals(500L, d.toPort());
            assertArrayEquals(("hello " + s).getBytes(StandardCharsets.UTF_8), d.data());
        }
        assertEquals(500L, server.port());
    }

    @Test
    void repliesGoBackToTheEphemeralPort() {
        List<Datagram> back = new ArrayList<>();
        MdpSocket s2 = on(c, now -> {
            MdpSocket[] holder = new MdpSocket[1];
            holder[0] = c.sockets().bind(603, d -> holder[0].send(d.from(), d.fromPort(), d.security(), d.data()));
            return holder[0];
        });
        MdpSocket client = on(a, now -> a.sockets().bind(0, back::add));
        assertTrue(client.port() >= MdpSockets.FIRST_EPHEMERAL && client.port() <= MdpSockets.LAST_EPHEMERAL);
        on(a, now -> client.send(c.sid(), 603, Security.CRYPTED, new byte[] {1, 2, 3}));
        sim.run(Duration.ofSeconds(1));
        assertEquals(1, back.size());
        assertEquals(c.sid(), back.getFirst().from());
        assertEquals(603L, back.getFirst().fromPort());
        assertEquals(client.port(), back.getFirst().toPort());
        assertArrayEquals(new byte[] {1, 2, 3}, back.getFirst().data());
        s2.close();
    }

    @Test
    void aLentHandlerReadsTheBytesInPlaceEvenWhileItSendsAndSendsTakeARange() {
        // The echo server reads its lent datagram after sending a reply of another size from inside the callback:
        // the bytes it reads must still be the datagram's (the engine opens frames into an array of their own).
        List<String> readAfterSend = new ArrayList<>();
        List<Datagram> back = new ArrayList<>();
        MdpSocket server = on(c, now -> {
            MdpSocket[] holder = new MdpSocket[1];
            holder[0] = c.sockets().bindLent(Sid.ANY, 604, (from, fromPort, to, toPort, sec, buf, off, len, nanos) -> {
                byte[] other = new byte[300];
                java.util.Arrays.fill(other, (byte) 'x');
                holder[0].send(from, fromPort, Security.CRYPTED, other, 10, 200);
                readAfterSend.add(sec + " " + new String(buf, off, len, StandardCharsets.UTF_8));
            });
            return holder[0];
        });
        MdpSocket client = on(a, now -> a.sockets().bind(0, back::add));
        byte[] framed = "[[hello lent]]".getBytes(StandardCharsets.UTF_8);
        for (Security s : List.of(Security.CRYPTED, Security.SIGNED, Security.PLAIN)) {
            assertTrue((boolean) on(a, now -> client.send(c.sid(), 604, s, framed, 2, framed.length - 4)));
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> on(a, now -> client.send(c.sid(), 604, Security.CRYPTED, framed, 10, framed.length)));
        sim.run(Duration.ofSeconds(1));
        assertEquals(List.of("CRYPTED hello lent", "SIGNED hello lent", "PLAIN hello lent"), readAfterSend);
        assertEquals(3, back.size());
        for (Datagram d : back) {
            assertEquals(200, d.data().length);
            assertEquals(604L, d.fromPort());
            for (byte x : d.data()) {
                assertEquals((byte) 'x', x);
            }
        }
        server.close();
    }

    @Test
    void ephemeralPortsAreDistinctAndBindingRulesAreEnforced() {
        List<Long> ports = on(a, now -> {
            List<Long> p = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                p.add(a.sockets().bind(0, d -> { }).port());
            }
            return p;
        });
        assertEquals(50, ports.stream().distinct().count());
        assertTrue(ports.stream().allMatch(p -> p >= 257 && p <= 32767));
        on(a, now -> a.sockets().bind(700, d -> { }));
        assertThrows(MdpException.class, () -> on(a, now -> a.sockets().bind(700, d -> { })));
        assertThrows(MdpException.class, () -> on(a, now -> a.sockets().bind(MeshEngine.PORT_ECHO, d -> { })));
        assertThrows(MdpException.class, () -> on(a, now -> a.sockets().bind(c.sid(), 701, d -> { })));
        MdpSocket s = on(a, now -> a.sockets().bind(702, d -> { }));
        s.close();
        assertEquals(702L, (long) on(a, now -> a.sockets().bind(702, d -> { }).port()), "a closed port can be bound again");
        assertThrows(MdpException.class, () -> s.send(c.sid(), 1, Security.PLAIN, new byte[1]));
    }

    @Test
    void broadcastsReachEveryNodeSignedOrPlain() {
        List<Datagram> got = new ArrayList<>();
        on(b, now -> b.sockets().bind(800, got::add));
        on(c, now -> c.sockets().bind(800, got::add));
        MdpSocket s = on(a, now -> a.sockets().bind(0, d -> { }));
        on(a, now -> {
            s.broadcast(800, Security.SIGNED, "signed".getBytes(StandardCharsets.UTF_8), 8);
            s.broadcast(800, Security.PLAIN, "plain".getBytes(StandardCharsets.UTF_8), 8);
            return null;
        });
        sim.run(Duration.ofSeconds(1));
        assertEquals(4, got.size(), got.toString());
        assertTrue(got.stream().allMatch(d -> d.from().equals(a.sid()) && d.to().isBroadcast()));
        assertEquals(2, got.stream().filter(d -> d.security() == Security.SIGNED).count());
        assertEquals(2, got.stream().filter(d -> d.security() == Security.PLAIN).count());
    }

    @Test
    void unboundPortsAreCountedNotDelivered() {
        MdpSocket s = on(a, now -> a.sockets().bind(0, d -> { }));
        on(a, now -> s.send(c.sid(), 4242, Security.CRYPTED, new byte[4]));
        sim.run(Duration.ofSeconds(1));
        assertEquals(1L, c.engine().registry().counter("mdp.sockets.unbound_port").get());
    }

    @Test
    void aListenerGetsWhatNoSocketBound() {
        List<Long> heard = new ArrayList<>();
        List<Datagram> bound = new ArrayList<>();
        on(c, now -> {
            c.sockets().addListener((from, sp, to, dp, sec, data, t) -> heard.add(dp));
            return c.sockets().bind(1000, bound::add);
        });
        MdpSocket s = on(a, now -> a.sockets().bind(0, d -> { }));
        on(a, now -> s.send(c.sid(), 1000, Security.CRYPTED, new byte[1]));
        on(a, now -> s.send(c.sid(), 1001, Security.CRYPTED, new byte[1]));
        sim.run(Duration.ofSeconds(1));
        assertEquals(1, bound.size());
        assertEquals(List.of(1001L), heard);
        assertEquals(0L, c.engine().registry().counter("mdp.sockets.unbound_port").get());
    }

    @Test
    void echoTraceAndDnaLookupServicesAnswer() {
        List<Ping.Reply> replies = new ArrayList<>();
        Ping ping = on(a, now -> Ping.open(a.sockets(), replies::add));
        on(a, now -> ping.send(c.sid(), 1, now));
        on(a, now -> ping.send(Sid.BROADCAST, 2, now));
        sim.run(Duration.ofSeconds(1));
        assertTrue(replies.stream().anyMatch(r -> r.seq() == 1 && r.from().equals(c.sid())));
        assertEquals(java.util.stream.Stream.of(b.sid(), c.sid()).sorted().toList(),
                replies.stream().filter(r -> r.seq() == 2).map(Ping.Reply::from).sorted().toList(),
                "a broadcast ping is answered by every other node");

        List<Datagram> traced = new ArrayList<>();
        MdpSocket t = on(a, now -> a.sockets().bind(0, traced::add));
        assertTrue((boolean) on(a, now -> a.sockets().startTrace(t, c.sid())));
        sim.run(Duration.ofSeconds(1));
        assertEquals(1, traced.size());
        List<Sid> list = MdpSockets.traceAddresses(traced.getFirst().data()).orElseThrow();
        assertEquals(List.of(a.sid(), c.sid(), a.sid(), b.sid(), c.sid(), b.sid()), list,
                "source, destination, then each hop out and back");

        List<Datagram> found = new ArrayList<>();
        MdpSocket q = on(a, now -> a.sockets().bind(0, found::add));
        on(a, now -> {
            a.sockets().startDnaLookup(q, c.primary().did());
            return null;
        });
        sim.run(Duration.ofSeconds(1));
        assertEquals(1, found.size(), "only C has that DID");
        String sid = c.sid().toString();
        assertEquals(sid + "|sid://" + sid + "/local/" + c.primary().did() + "|" + c.primary().did() + "|"
                + c.primary().name() + "|", new String(found.getFirst().data(), StandardCharsets.UTF_8));
        assertEquals(Security.CRYPTED, found.getFirst().security());
        assertNotEquals(0, found.getFirst().fromPort());
    }
}
