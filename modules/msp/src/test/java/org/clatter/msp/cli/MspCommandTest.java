package org.clatter.msp.cli;

import org.clatter.msp.OwnThread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The msp commands, two in-process nodes on 127.1.0.x talking over real UDP. */
class MspCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on ([0-9A-F]{64}):");

    static int freePort() {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("0.0.0.0", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int status, String out, String err) {
    }

    static CompletableFuture<Result> start(String[] args, InputStream in, ByteArrayOutputStream err) {
        return OwnThread.supply(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream eps = new PrintStream(err, true, StandardCharsets.UTF_8);
            int status = MspCommand.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8), eps);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        });
    }

    static String awaitListening(ByteArrayOutputStream err) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(err.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the listener never said where it listens: " + err);
    }

    @Test
    void sendFileAndReceiveFileMoveAFileWithProgressAndAVerifiedDigest(@TempDir Path tmp) throws Exception {
        int port = freePort();
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new SplittableRandom(9).nextBytes(data);
        Path file = tmp.resolve("payload.bin");
        Files.write(file, data);
        Path dir = tmp.resolve("in");
        ByteArrayOutputStream rerr = new ByteArrayOutputStream();
        var receiver = start(new String[] {"receive-file", "600", dir.toString(), "--progress",
                "--instance", tmp.resolve("b").toString(), "--interface", "127.1.0.2/24:" + port,
                "--peer", "127.1.0.1:" + port}, InputStream.nullInputStream(), rerr);
        String sid = awaitListening(rerr);
        ByteArrayOutputStream serr = new ByteArrayOutputStream();
        var sender = start(new String[] {"send-file", sid, "600", file.toString(), "--progress",
                "--instance", tmp.resolve("a").toString(), "--interface", "127.1.0.1/24:" + port,
                "--peer", "127.1.0.2:" + port}, InputStream.nullInputStream(), serr);
        Result s = sender.get(60, TimeUnit.SECONDS);
        Result r = receiver.get(30, TimeUnit.SECONDS);
        assertEquals(0, s.status(), s.err());
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("payload.bin")));
        assertTrue(s.out().contains("verified by the receiver"), s.out());
        assertTrue(s.err().contains("100%") && s.err().contains("/s") && s.err().contains("ETA"), s.err());
        assertTrue(r.out().contains("received"), r.out());
        // The instance keeps its identity: the same SID next time.
        assertTrue(Files.exists(tmp.resolve("b").resolve("keyring.clatter")));
    }

    @Test
    void listenAndConnectRelayStdinAndStdoutBothWays(@TempDir Path tmp) throws Exception {
        int port = freePort();
        ByteArrayOutputStream lerr = new ByteArrayOutputStream();
        var listener = start(new String[] {"listen", "555", "--interface", "127.1.0.3/24:" + port,
                "--peer", "127.1.0.4:" + port}, new ByteArrayInputStream("hello from the listener\n".getBytes()), lerr);
        String sid = awaitListening(lerr);
        var connector = start(new String[] {"connect", sid, "555", "--interface", "127.1.0.4/24:" + port,
                "--peer", "127.1.0.3:" + port}, new ByteArrayInputStream("hello from the connector\n".getBytes()),
                new ByteArrayOutputStream());
        assertHellosExchanged(connector.get(60, TimeUnit.SECONDS), listener.get(30, TimeUnit.SECONDS));
    }

    /** Both sides exited 0 and each printed the other's stdin ("hello from the listener/connector"). */
    static void assertHellosExchanged(Result c, Result l) {
        assertEquals(0, c.status(), c.err());
        assertEquals(0, l.status(), l.err());
        assertEquals("hello from the listener\n", c.out());
        assertEquals("hello from the connector\n", l.out());
    }

    @Test
    void usageErrorsAreStatusTwoAndBadArgumentsSayWhatToDo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true);
        assertEquals(2, MspCommand.run(new String[0], InputStream.nullInputStream(), System.out, e));
        assertEquals(2, MspCommand.run(new String[] {"listen"}, InputStream.nullInputStream(), System.out, e));
        assertTrue(err.toString().contains("usage: clatter msp listen PORT"));
        try {
            MspCommand.run(new String[] {"listen", "555"}, InputStream.nullInputStream(), System.out, e);
            throw new AssertionError("no interface must fail");
        } catch (org.clatter.msp.MspException ex) {
            assertTrue(ex.getMessage().contains("--interface"), ex.getMessage());
        }
    }
}
