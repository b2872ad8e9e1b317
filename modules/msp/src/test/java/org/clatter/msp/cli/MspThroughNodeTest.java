package org.clatter.msp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.Sid;
import org.clatter.mdp.node.Instance;
import org.clatter.mdp.node.NodeDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The msp commands through running nodes: two node daemons (in this process, each with {@link MspNodeService}) on
 * 127.1.0.5 and 127.1.0.6 over real UDP; {@code msp listen} through B and {@code msp connect} through A carry
 * bytes both ways and end on both sides' EOF (half-close), and {@code send-file}/{@code receive-file} move a file
 * with its SHA-256 checked and the client-side progress bar showing rate and ETA.
 */
class MspThroughNodeTest {
    @TempDir
    Path dir;
    private NodeDaemon a;
    private NodeDaemon b;
    private Path ia;
    private Path ib;

    @BeforeEach
    void nodes() throws Exception {
        int port = MspCommandTest.freePort();
        ia = dir.resolve("a");
        ib = dir.resolve("b");
        PrintStream log = new PrintStream(PrintStream.nullOutputStream());
        a = NodeDaemon.start(new Instance(ia, new char[0]), MdpCrypto.load(), List.of("udp:127.1.0.5/24:" + port),
                List.of("127.1.0.6:" + port), log, List.of(new MspNodeService()));
        b = NodeDaemon.start(new Instance(ib, new char[0]), MdpCrypto.load(), List.of("udp:127.1.0.6/24:" + port),
                List.of("127.1.0.5:" + port), log, List.of(new MspNodeService()));
        assertEquals(List.of("msp"), a.services());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    /**
     * Runs the command on a thread of its own (not {@code CompletableFuture.supplyAsync}: on a machine where the
     * common pool has workers, a command left blocked by a failed test would hold one of them).
     */
    private static CompletableFuture<MspCommandTest.Result> run(ByteArrayOutputStream err, InputStream in,
                                                                String... args) {
        CompletableFuture<MspCommandTest.Result> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("msp-command").start(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                int status = MspCommand.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                f.complete(new MspCommandTest.Result(status, out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8)));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listenThroughBAndConnectThroughACarryBytesBothWays() throws Exception {
        Sid sidB = b.node().sid();
        ByteArrayOutputStream lerr = new ByteArrayOutputStream();
        CompletableFuture<MspCommandTest.Result> listener = run(lerr, text("hello from the listener\n"), "listen", "99",
                "--instance", ib.toString());
        MspCommandTest.awaitListening(lerr);
        CompletableFuture<MspCommandTest.Result> connector = run(new ByteArrayOutputStream(), text("hello from the connector\n"),
                "connect", sidB.toString(), "99", "--instance", ia.toString());
        MspCommandTest.Result c = connector.get(60, TimeUnit.SECONDS);
        MspCommandTest.Result l = listener.get(30, TimeUnit.SECONDS);
        MspCommandTest.assertHellosExchanged(c, l);
        assertTrue(l.err().contains("listening on " + sidB + ":99"), l.err());
        assertTrue(c.err().contains(a.node().sid() + " connecting to " + sidB + ":99"), c.err());
    }

    @Test
    void sendFileAndReceiveFileGoThroughTheNodesWithProgress() throws Exception {
        byte[] data = new byte[300_000];
        new SplittableRandom(7).nextBytes(data);
        Path file = dir.resolve("payload.bin");
        Files.write(file, data);
        Path into = dir.resolve("into");
        ByteArrayOutputStream rerr = new ByteArrayOutputStream();
        CompletableFuture<MspCommandTest.Result> receiver = run(rerr, InputStream.nullInputStream(), "receive-file", "77",
                into.toString(), "--progress", "--instance", ib.toString());
        MspCommandTest.awaitListening(rerr);
        CompletableFuture<MspCommandTest.Result> sender = run(new ByteArrayOutputStream(), InputStream.nullInputStream(),
                "send-file", b.node().sid().toString(), "77", file.toString(), "--progress", "--instance",
                ia.toString());
        MspCommandTest.Result s = sender.get(60, TimeUnit.SECONDS);
        MspCommandTest.Result r = receiver.get(30, TimeUnit.SECONDS);
        assertEquals(0, s.status(), s.err() + "\nreceiver: " + r);
        assertEquals(0, r.status(), r.err());
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(into.resolve("payload.bin"))));
        assertTrue(s.out().contains("verified by the receiver"), s.out());
        assertTrue(s.err().contains("100%") && s.err().contains("/s") && s.err().contains("ETA"), s.err());
        assertTrue(r.err().contains("100%") && r.err().contains("ETA"), r.err());
    }
}
