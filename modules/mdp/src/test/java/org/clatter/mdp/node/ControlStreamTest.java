package org.clatter.mdp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control channel's stream mode: raw bytes both ways, the client's EOF as a half-close the verb sees, the
 * verb's end as EOF for the client, and its exit code and late error lines fetched afterwards; and arbitrary or
 * mutated request bytes answered with a clear error or an exit code, never a crash.
 */
class ControlStreamTest {
    @TempDir
    Path dir;

    /** "upper": streams back the client's bytes upper-cased, then (after the client's EOF) a count and exit 3. */
    private static int handler(List<String> args, ControlServer.Session s) throws Exception {
        if (args.isEmpty() || !args.getFirst().equals("upper")) {
            s.out().println("line " + String.join(",", args));
            return 0;
        }
        s.err().println("streaming");
        ControlServer.Stream st = s.stream();
        InputStream in = st.input();
        OutputStream out = st.output();
        long n = 0;
        byte[] buf = new byte[4096];
        for (int r; (r = in.read(buf)) >= 0; ) {
            out.write(new String(buf, 0, r, StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT)
                    .getBytes(StandardCharsets.ISO_8859_1));
            n += r;
        }
        out.write(("[" + n + "]").getBytes(StandardCharsets.US_ASCII));
        st.shutdownOutput();
        s.err().println("saw " + n + " bytes");
        return 3;
    }

    private record Result(int code, String raw, String out, String err) {
    }

    private static Result call(Path sock, List<String> args, byte[] stdin) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = ControlClient.run(sock, args, new ByteArrayInputStream(stdin), raw,
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(code, raw.toString(StandardCharsets.ISO_8859_1), o.toString(StandardCharsets.UTF_8),
                e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void streamModeCarriesBytesBothWaysWithHalfCloseAndTheExitCode() {
        Path sock = dir.resolve("s.sock");
        try (ControlServer s = ControlServer.serve(sock, ControlStreamTest::handler)) {
            byte[] big = new byte[300_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            Result r = call(sock, List.of("upper"), big);
            assertEquals(3, r.code(), r.err());
            assertEquals(new String(big, StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT)
                    + "[300000]", r.raw());
            assertEquals("streaming\nsaw 300000 bytes\n", r.err(), "lines before and after the stream");
            Result empty = call(sock, List.of("upper"), new byte[0]);
            assertEquals("[0]", empty.raw(), "EOF at once is a half-close the verb sees");
            Result line = call(sock, List.of("plain", "x"), new byte[0]);
            assertEquals(0, line.code());
            assertEquals("line plain,x\n", line.out(), "line mode still works");
            assertEquals(0, ControlClient.run(sock, List.of("plain"), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream())), "the old entry point still works");
            Result unknown = call(sock, List.of(ControlServer.STREAM_STATUS, "00"), new byte[0]);
            assertEquals(1, unknown.code());
            assertTrue(unknown.err().contains("no stream 00"), unknown.err());
        }
    }

    /** The bytes a client would send: a request (maybe a stream request) with raw bytes after, then mutated. */
    private static byte[] mutated(byte[] tail, int verb, int flips, int seed) {
        String request = switch (verb) {
            case 0 -> "upper\n";
            case 1 -> "plain\tx\n";
            case 2 -> ControlServer.STREAM_STATUS + "\t" + Integer.toHexString(seed) + "\n";
            default -> "";
        };
        byte[] req = request.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[req.length + tail.length];
        System.arraycopy(req, 0, all, 0, req.length);
        System.arraycopy(tail, 0, all, req.length, tail.length);
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < flips && all.length > 0; i++) {
            all[r.nextInt(all.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return all;
    }

    @Test
    void arbitraryAndMutatedRequestBytesGetAnAnswerOrAnEndNeverACrash() throws Exception {
        Path sock = dir.resolve("p.sock");
        AtomicInteger handled = new AtomicInteger();
        try (ControlServer s = ControlServer.serve(sock, (args, session) -> {
            handled.incrementAndGet();
            return handler(args, session);
        })) {
            qt().withExamples(150).forAll(SocketsInputPropertiesTest.bytes(300), integers().between(0, 3), integers().between(0, 6),
                    integers().all()).checkAssert((tail, verb, flips, seed) -> {
                        String reply = exchange(sock, mutated(tail, verb, flips, seed));
                        assertTrue(reply.startsWith("o ") || reply.startsWith("e ") || reply.startsWith("x ")
                                || reply.startsWith("s "), "a line-mode answer or a stream: " + reply);
                        if (!reply.matches("(?s)((o|e) [^\n]*\n)*s [0-9a-f]+\n.*")) {
                            assertTrue(reply.matches("(?s).*x -?\\d+\n"), "ends with an exit code: " + reply);
                        }
                    });
            byte[] tooLong = new byte[ControlServer.MAX_REQUEST + 10];
            java.util.Arrays.fill(tooLong, (byte) 'a');
            String reply = exchange(sock, tooLong);
            assertTrue(reply.contains("at most " + ControlServer.MAX_REQUEST) && reply.endsWith("x 1\n"), reply);
            assertTrue(handled.get() > 0);
            Result after = call(sock, List.of("upper"), "still fine".getBytes(StandardCharsets.US_ASCII));
            assertEquals("STILL FINE[10]", after.raw(), "the server still answers after all that");
        }
    }

    /** Sends {@code bytes}, half-closes, and reads everything the server sends until it closes (at most 10 s). */
    private static String exchange(Path sock, byte[] bytes) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(sock));
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && c.read(in.clear()) >= 0) {
                got.write(in.array(), 0, in.position());
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AssertionError("the control socket failed: " + e, e);
        }
    }
}
