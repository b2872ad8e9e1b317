package org.clatter.clacks.mdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clatter.clacks.ClacksCommand;
import org.clatter.clacks.ClacksNode;
import org.clatter.clacks.ClacksOptions;
import org.clatter.clacks.DatagramClacksTransport;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.TestCerts;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.Sid;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.Ping;
import org.junit.jupiter.api.Test;

/** {@code clatter clacks run --mesh-interface}: a mesh-only command node and a Java node over MDP on UDP loopback. */
class MeshCommandTest {

    static int run(String... args) {
        return ClacksCommand.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.1.0.1"))) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until {@code from} gets an MDP echo reply from {@code to}, so {@code to} has a route back. A Clacks
     * node that sends to a mesh peer before its MDP route exists gets {@code no_route} and waits out its request
     * timeout (10 s) with that peer busy; a message gossiped meanwhile goes only to the other peers and, once its
     * hops are spent, never reaches the mesh peer (failed about one full-suite run in two).
     */
    static void awaitMeshRoute(MdpNode from, String toAddress, long millis) throws Exception {
        Sid to = Sid.parse(toAddress.substring("sid-".length(), toAddress.indexOf(':')));
        AtomicBoolean replied = new AtomicBoolean();
        Ping ping = from.call(now -> Ping.open(from.sockets(), r -> replied.set(true))).get(5, TimeUnit.SECONDS);
        try {
            long end = System.nanoTime() + millis * 1_000_000L;
            for (int seq = 0; !replied.get(); seq++) {
                assertTrue(System.nanoTime() < end, "no MDP echo reply from " + to + " within " + millis + " ms; "
                        + from.sid() + " reaches " + from.call(now -> from.engine().peers()).get(5, TimeUnit.SECONDS));
                int s = seq;
                from.call(now -> ping.send(to, s, now)).get(5, TimeUnit.SECONDS);
                Thread.sleep(100);
            }
        } finally {
            from.call(now -> {
                ping.close();
                return null;
            }).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void meshUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ClacksCommand.run(new String[] {"--help"}, System.in, new PrintStream(out), System.err));
        for (String opt : List.of("--mesh-interface", "--mesh-peer", "--mesh-instance", "--mesh-port")) {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(opt), opt);
        }
        assertEquals(2, run("--mesh-peer", "127.0.0.1"));
        assertEquals(2, run("--mesh-interface", "udp:127.1.0.1/24", "--mesh-port", "0"));
        assertEquals(2, run("--mesh-interface", "udp:127.1.0.1/24", "--hostname", "127.0.0.1"));
        assertEquals(1, run("--mesh-interface", "nokind"));
    }

    @Test
    void aMeshOnlyCommandNodeGossipsWithAJavaNodeOverMdpOnUdp() throws Exception {
        int port = freePort();
        MdpNode b = MdpNode.realTime(MdpCrypto.load(), List.of(Identity.generate(MdpCrypto.load(), "", "B")), 7)
                .addInterface("udp:127.1.0.2/24:" + port, List.of("127.1.0.1:" + port)).start();
        MdpClacksDatagrams bdg = MdpClacksDatagrams.open(b);
        DatagramClacksTransport bt = new DatagramClacksTransport(bdg, Duration.ofSeconds(2));
        List<JsonValue> atB = new CopyOnWriteArrayList<>();
        try (ClacksNode bn = ClacksNode.create(ClacksOptions.builder().hostname(bdg.self().hostname())
                .port(bdg.self().port()).sendrate(50).requestTimeout(Duration.ofSeconds(2)).build(), bt)) {
            bt.bind(bn);
            bn.onMessageReceived((from, p) -> {
                atB.add(p.message());
                return Optional.empty();
            });
            bn.start();
            PipedOutputStream stdin = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(stdin);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            FutureTask<Integer> exit = new FutureTask<>(() -> ClacksCommand.run(new String[] {
                "--mesh-interface", "udp:127.1.0.1/24:" + port, "--mesh-peer", "127.1.0.2:" + port,
                "--peer", bdg.self().toString(), "--sendrate", "50", "--exit-on-eof"},
                    in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
            Thread.ofPlatform().name("clacks-mesh-command").start(exit);
            Pattern self = Pattern.compile("mesh only, as (sid-[0-9a-f]{64}):(\\d+)");
            assertTrue(TestCerts.eventually(10_000, () -> self.matcher(err.toString(StandardCharsets.UTF_8)).find()),
                    err::toString);
            Matcher m = self.matcher(err.toString(StandardCharsets.UTF_8));
            assertTrue(m.find());
            PeerAddress cmd = new PeerAddress(m.group(1), Integer.parseInt(m.group(2)));
            assertEquals(MdpClacksDatagrams.PORT, cmd.port());
            awaitMeshRoute(b, cmd.toString(), 20_000);

            stdin.write("over the mesh\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertTrue(TestCerts.eventually(20_000, () -> atB.contains(new JsonString("over the mesh"))),
                    () -> "B got " + atB + " " + bn.counters() + " " + bdg.counters() + "; command: " + err);
            bn.addPeer(cmd);
            bn.enqueue("back over the mesh");
            assertTrue(TestCerts.eventually(20_000, () -> out.toString(StandardCharsets.UTF_8).contains("\"back over the mesh\"")),
                    () -> "stdout: " + out + " B: " + bn.counters() + bdg.counters() + "; command: " + err);
            stdin.close();
            assertEquals(0, exit.get(40, TimeUnit.SECONDS), err::toString);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("mesh {"), err::toString);
        } finally {
            bdg.close();
            b.close();
        }
    }

    @Test
    void theCommandBridgesAnHttpsPeerAndAMeshPeer() throws Exception {
        int port = freePort();
        TestCerts.Files2 c = TestCerts.get();
        MdpNode b = MdpNode.realTime(MdpCrypto.load(), List.of(Identity.generate(MdpCrypto.load(), "", "B")), 8)
                .addInterface("udp:127.1.0.2/24:" + port, List.of("127.1.0.1:" + port)).start();
        MdpClacksDatagrams bdg = MdpClacksDatagrams.open(b);
        DatagramClacksTransport bt = new DatagramClacksTransport(bdg, Duration.ofSeconds(2));
        List<JsonValue> atB = new CopyOnWriteArrayList<>();
        List<JsonValue> atH = new CopyOnWriteArrayList<>();
        try (ClacksNode bn = ClacksNode.create(ClacksOptions.builder().hostname(bdg.self().hostname())
                .port(bdg.self().port()).sendrate(50).hopLimit(32).requestTimeout(Duration.ofSeconds(2)).build(), bt);
             ClacksNode h = ClacksNode.create(ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(c.cert(), c.key())
                     .trust(c.cert()).sendrate(50).hopLimit(32).requestTimeout(Duration.ofSeconds(2)).build())) {
            bt.bind(bn);
            bn.onMessageReceived((from, p) -> {
                atB.add(p.message());
                return Optional.of(p.message());
            });
            h.onMessageReceived((from, p) -> {
                atH.add(p.message());
                return Optional.of(p.message());
            });
            bn.start();
            h.start();
            PipedOutputStream stdin = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(stdin);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            FutureTask<Integer> exit = new FutureTask<>(() -> ClacksCommand.run(new String[] {
                "--hostname", "127.0.0.1", "--port", "0", "--tls-cert", c.cert().toString(), "--tls-key", c.key().toString(),
                "--trust", c.cert().toString(), "--mesh-interface", "udp:127.1.0.1/24:" + port,
                "--mesh-peer", "127.1.0.2:" + port, "--peer", h.self().toString(), "--peer", bdg.self().toString(),
                "--sendrate", "50", "--exit-on-eof"},
                    in, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            Thread.ofPlatform().name("clacks-bridge-command").start(exit);
            Pattern listening = Pattern.compile("listening on https://[^ ]*:(\\d+) ");
            assertTrue(TestCerts.eventually(10_000, () -> listening.matcher(err.toString(StandardCharsets.UTF_8)).find()),
                    err::toString);
            Matcher m = listening.matcher(err.toString(StandardCharsets.UTF_8));
            assertTrue(m.find());
            Matcher sid = Pattern.compile("on the mesh as (sid-[0-9a-f]{64}):193").matcher(err.toString(StandardCharsets.UTF_8));
            assertTrue(sid.find(), err::toString);
            awaitMeshRoute(b, sid.group(1) + ":" + MdpClacksDatagrams.PORT, 20_000);
            h.addPeer(new PeerAddress("127.0.0.1", Integer.parseInt(m.group(1))));
            bn.addPeer(new PeerAddress(sid.group(1), MdpClacksDatagrams.PORT));

            // 32 hops: about 16 visits to the bridge, each taking the other side half the time, and a short
            // circulation so the command's --exit-on-eof drain ends soon
            h.enqueue("https to mesh");
            assertTrue(TestCerts.eventually(20_000, () -> atB.contains(new JsonString("https to mesh"))),
                    () -> "B: " + bn.counters() + bdg.counters() + "; command: " + err);
            bn.enqueue("mesh to https");
            assertTrue(TestCerts.eventually(20_000, () -> atH.contains(new JsonString("mesh to https"))),
                    () -> "H: " + h.counters() + "; command: " + err);
            assertTrue(h.peers().stream().noneMatch(p -> p.address().hostname().startsWith("sid-")),
                    "the HTTPS peer is not told about mesh peers: " + h.peers());
            stdin.close();
            assertEquals(0, exit.get(40, TimeUnit.SECONDS), err::toString);
        } finally {
            bdg.close();
            b.close();
        }
    }

    @Test
    void meshInstanceTakesTheKeyringsIdentity(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.nio.file.Path empty = dir.resolve("empty");
        assertEquals(1, ClacksCommand.run(new String[] {"--mesh-interface", "udp:127.1.0.1/24:" + freePort(),
            "--mesh-instance", empty.toString()}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("keyring add"), err::toString);

        java.nio.file.Path full = dir.resolve("full");
        Identity id = Identity.generate(MdpCrypto.load(), "5551234", "K");
        org.clatter.mdp.node.Instance.resolve(full.toString(), null, java.util.Map.of())
                .saveKeyring(new org.clatter.mdp.keyring.Keyring(List.of(id)), MdpCrypto.load());
        err.reset();
        assertEquals(0, ClacksCommand.run(new String[] {"--mesh-interface", "udp:127.1.0.1/24:" + freePort(),
            "--mesh-instance", full.toString(), "--exit-on-eof"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("mesh only, as " + MdpClacksDatagrams.address(id.sid(),
                MdpClacksDatagrams.PORT)), err::toString);
    }
}
