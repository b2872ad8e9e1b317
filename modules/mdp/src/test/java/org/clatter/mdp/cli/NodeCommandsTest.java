package org.clatter.mdp.cli;

import static org.clatter.mdp.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clatter.mdp.SharedFolder;
import org.clatter.mdp.node.ControlClient;
import org.clatter.mdp.cli.CommandRun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node commands in-process: keyring add/list/import, and two nodes run with {@code clatter run} over real UDP
 * on 127.0.0.1/8 and 127.0.0.2/8 (one port) that list each other in {@code id peers}, ping each other with
 * {@code clatter mdp ping}, trace, print routes and stop.
 */
class NodeCommandsTest {
    @TempDir
    Path dir;

    @Test
    void keyringAddListAndImport() {
        String inst = dir.resolve("k").toString();
        Result add = run(KeyringCommand::run, "add", "--did", "5551234", "--name", "Zoe", "--instance", inst,
                "--pin", "secret");
        assertEquals(0, add.code(), add.err());
        String sid = add.out().trim();
        assertTrue(sid.matches("[0-9A-F]{64}"), sid);
        Result list = run(KeyringCommand::run, "list", "--instance", inst, "--pin", "secret");
        assertEquals(List.of(sid + ":5551234:Zoe"), list.lines());
        Path dump = SharedFolder.serval().resolve("keyring_A.dump");
        Result imp = run(KeyringCommand::run, "import", dump.toString(), "--instance", inst, "--pin", "secret");
        assertEquals(0, imp.code(), imp.err());
        Path binary = SharedFolder.serval().resolve("keyring_B.serval.keyring");
        Result impB = run(KeyringCommand::run, "import", binary.toString(), "--instance", inst, "--pin", "secret");
        assertEquals(0, impB.code(), impB.err());
        List<String> all = run(KeyringCommand::run, "list", "--instance", inst, "--pin", "secret").lines();
        assertEquals(1 + imp.lines().size() + impB.lines().size(), all.size(), all.toString());
        assertTrue(all.containsAll(imp.lines()) && all.containsAll(impB.lines()));
        Result wrongPin = run(KeyringCommand::run, "list", "--instance", inst, "--pin", "wrong");
        assertEquals(1, wrongPin.code(), "the wrong PIN does not open the keyring");
        assertTrue(wrongPin.err().contains("wrong passphrase"), wrongPin.err());
        assertTrue(wrongPin.lines().isEmpty());
    }

    static int freePort() {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("0.0.0.0", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void twoNodesOverUdpLoopbackPingEachOtherWithTheCommands() throws Exception {
        int port = freePort();
        String ia = dir.resolve("a").toString();
        String ib = dir.resolve("b").toString();
        assertEquals(1, run(StatusCommand::run, "--instance", ia).code(), "not running yet");
        assertEquals(0, run(KeyringCommand::run, "add", "--did", "5550002", "--name", "Bee", "--instance", ib).code());
        List<Thread> nodes = new ArrayList<>();
        List<Result> runs = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String[] spec : new String[][] {{ia, "127.0.0.1"}, {ib, "127.0.0.2"}}) {
            Thread t = Thread.ofPlatform().start(() -> runs.add(run(RunCommand::run, "--instance", spec[0],
                    "--interface", "udp:" + spec[1] + "/8:" + port)));
            nodes.add(t);
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && !(ControlClient.answers(Path.of(ia, "clatter.sock"))
                    && ControlClient.answers(Path.of(ib, "clatter.sock")))) {
                Thread.sleep(50);
            }
            Result statusA = run(StatusCommand::run, "--instance", ia);
            assertEquals(0, statusA.code(), statusA.err() + runs);
            assertTrue(statusA.lines().contains("status:running"), statusA.out());
            String a = run(IdCommand::run, "self", "--instance", ia).out().trim();
            String b = run(IdCommand::run, "self", "--instance", ib).out().trim();
            assertTrue(a.matches("[0-9A-F]{64}") && b.matches("[0-9A-F]{64}"), a + " " + b);
            while (System.nanoTime() < deadline
                    && !(run(IdCommand::run, "peers", "--instance", ia).lines().equals(List.of(b))
                    && run(IdCommand::run, "peers", "--instance", ib).lines().equals(List.of(a)))) {
                Thread.sleep(100);
            }
            assertEquals(List.of(b), run(IdCommand::run, "peers", "--instance", ia).lines());
            assertEquals(List.of(a), run(IdCommand::run, "peers", "--instance", ib).lines());

            Result ping = run(MdpCommand::run, "ping", b, "3", "--interval", "0.2", "--instance", ia);
            assertEquals(0, ping.code(), ping.out() + ping.err());
            Pattern reply = Pattern.compile("^" + b + ": seq=(\\d+) time=([0-9.]+)ms CRYPTED$");
            int replies = 0;
            for (String line : ping.lines()) {
                Matcher m = reply.matcher(line);
                if (m.matches()) {
                    replies++;
                    assertTrue(Double.parseDouble(m.group(2)) < 1000, line);
                }
            }
            assertTrue(replies >= 2, ping.out());
            assertTrue(ping.out().contains("3 packets transmitted, " + replies + " packets received"), ping.out());

            Result back = run(MdpCommand::run, "ping", a, "2", "--interval", "0.2", "--instance", ib);
            assertEquals(0, back.code(), back.out() + back.err());
            assertTrue(back.out().contains(a + ": seq="), back.out());

            Result trace = run(MdpCommand::run, "trace", b, "--instance", ia);
            assertEquals(0, trace.code(), trace.err());
            assertEquals(List.of("0:" + a, "1:" + b), trace.lines().subList(1, 3));

            Result dna = run(DnaCommand::run, "lookup", "5550002", "1", "--instance", ia);
            assertEquals(0, dna.code(), dna.err());
            assertEquals(List.of("sid://" + b + "/local/5550002:5550002:Bee"), dna.lines());

            Result routes = run(RouteCommand::run, "print", "--instance", ia);
            assertTrue(routes.lines().stream().anyMatch(l -> l.startsWith(b + ":UNICAST:")), routes.out());

            Result none = run(MdpCommand::run, "ping", "11".repeat(32), "1", "--timeout", "0.3", "--instance", ia);
            assertEquals(1, none.code(), "no reply, exit 1");
        } finally {
            run(StopCommand::run, "--instance", ia);
            run(StopCommand::run, "--instance", ib);
            for (Thread t : nodes) {
                t.join(10_000);
            }
        }
        assertEquals(2, runs.size(), "both `clatter run` returned after `clatter stop`");
        assertTrue(runs.stream().allMatch(r -> r.code() == 0), runs.toString());
        assertEquals(1, run(StatusCommand::run, "--instance", ia).code(), "stopped");
    }
}
