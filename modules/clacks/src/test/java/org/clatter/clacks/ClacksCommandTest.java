package org.clatter.clacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.FutureTask;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;
import org.junit.jupiter.api.Test;

class ClacksCommandTest {

    static int run(String... args) {
        return ClacksCommand.run(args, new java.io.ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void helpAndUsageErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ClacksCommand.run(new String[] {"--help"}, System.in, new PrintStream(out), System.err));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String opt : List.of("--hostname", "--port", "--tls-cert", "--tls-key", "--peer", "--sendrate", "--trust")) {
            assertTrue(help.contains(opt), opt);
        }
        assertEquals(2, run("--port", "1"));
        assertEquals(2, run("--bogus"));
        assertEquals(2, run("--hostname", "127.0.0.1", "--port", "x", "--tls-cert", "c", "--tls-key", "k"));
        assertEquals(2, run("--peer", "nocolon"));
        assertEquals(1, run("--hostname", "127.0.0.1", "--port", "0", "--tls-cert", "/nonexistent", "--tls-key", "/nonexistent"));
    }

    @Test
    void runsANodeStdinLinesOutAndReceivedMessagesPrinted() throws Exception {
        TestCerts.Files2 c = TestCerts.get();
        try (ClacksNode peer = ClacksNode.create(ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(c.cert(), c.key())
                .trust(c.cert()).sendrate(50).requestTimeout(Duration.ofSeconds(2)).build()).start()) {
            List<JsonValue> atPeer = new CopyOnWriteArrayList<>();
            peer.onMessageReceived((from, p) -> {
                atPeer.add(p.message());
                return Optional.empty(); // consume, do not bounce back
            });
            PipedOutputStream stdin = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(stdin);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errPs = new PrintStream(err, true, StandardCharsets.UTF_8);
            // Not CompletableFuture.supplyAsync: on a 2-core machine the common pool has one thread, and the JDK
            // HttpClient needs it while the command blocks reading stdin.
            FutureTask<Integer> exit = new FutureTask<>(() -> ClacksCommand.run(new String[] {
                "--hostname", "127.0.0.1", "--port", "0", "--tls-cert", c.cert().toString(), "--tls-key", c.key().toString(),
                "--trust", c.cert().toString(), "--sendrate", "50", "--peer", peer.self().toString(), "--exit-on-eof", "--sign"},
                    in, new PrintStream(out, true, StandardCharsets.UTF_8), errPs));
            Thread.ofPlatform().name("clacks-command").start(exit);
            Pattern listening = Pattern.compile("listening on https://[^ ]*:(\\d+) ");
            assertTrue(TestCerts.eventually(5000, () -> listening.matcher(err.toString(StandardCharsets.UTF_8)).find()), err::toString);
            Matcher m = listening.matcher(err.toString(StandardCharsets.UTF_8));
            assertTrue(m.find());
            PeerAddress cmd = new PeerAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("(signing)"), "signs with the crypto provider found by ServiceLoader");

            stdin.write("hello from stdin\nsecond line\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertTrue(TestCerts.eventually(5000, () -> atPeer.containsAll(List.of(new JsonString("hello from stdin"),
                    new JsonString("second line")))), () -> {
                        try {
                            stdin.close();
                            exit.get(40, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            // report below
                        }
                        return "peer got " + atPeer + "; peer counters " + peer.counters() + "; command: " + err;
                    });

            peer.addPeer(cmd);
            peer.enqueue("caf\u00e9 from peer");
            assertTrue(TestCerts.eventually(5000, () -> out.toString(StandardCharsets.UTF_8).contains("\"caf\\u00e9 from peer\"")),
                    () -> "stdout: " + out);
            stdin.close();
            assertEquals(0, exit.get(20, TimeUnit.SECONDS));
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                assertTrue(line.startsWith("\""), "one JSON value per line: " + line);
            }
        }
    }
}
