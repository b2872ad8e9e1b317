package org.clatter.mdp.node;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clatter.mdp.MdpException;

/**
 * The node's local control channel: a Unix domain socket in the instance directory. Protocol, one request per
 * connection, UTF-8:
 *
 * <pre>
 *   client: ARG TAB ARG ... LF                      the command's arguments (at most 64 KiB)
 *   server: ("o " TEXT LF | "e " TEXT LF)* "x " CODE LF      line mode: stdout and stderr lines as the command
 *                                                            runs, then the exit code
 *   server: ("o "|"e " lines)* "s " TOKEN LF, then raw bytes  stream mode (a verb called {@link Session#stream()})
 * </pre>
 *
 * In stream mode the connection carries raw bytes both ways: the client's shutdown of its output is EOF of the
 * verb's {@link Stream#input()}; the verb's {@link Stream#shutdownOutput()} (or its end) is EOF for the client.
 * When the verb returns, the server closes the connection and keeps its exit code, with any lines it wrote after
 * the stream began, under TOKEN: the client asks for them on a new connection with the request
 * {@code stream-status TAB TOKEN}, answered in line mode (waiting until the verb has ended). Clients that only
 * know line mode keep working for every verb that does not stream.
 */
public final class ControlServer implements AutoCloseable {
    /** The request that fetches a finished stream's exit code. */
    public static final String STREAM_STATUS = "stream-status";
    /** The longest request line accepted. */
    public static final int MAX_REQUEST = 64 * 1024;
    private static final long KEEP_RESULT_NANOS = TimeUnit.MINUTES.toNanos(2);

    /** A command run for a client; writes to {@code out}/{@code err} and returns the exit code. */
    @FunctionalInterface
    public interface Handler {
        int handle(List<String> args, PrintStream out, PrintStream err);
    }

    /** A command run for a client that may switch the connection to stream mode. */
    @FunctionalInterface
    public interface SessionHandler {
        int handle(List<String> args, Session session) throws Exception;
    }

    /** One client's request: line output, and the switch to raw bytes. */
    public interface Session {
        /** Standard output lines for the client. */
        PrintStream out();

        /** Standard error lines for the client. */
        PrintStream err();

        /**
         * Switches the connection to raw bytes both ways (idempotent). Lines written to {@link #out()} and
         * {@link #err()} afterwards reach the client with the exit code, after the stream.
         */
        Stream stream() throws IOException;
    }

    /** The raw byte stream of a connection in stream mode. */
    public interface Stream {
        /** The client's bytes; EOF when the client shuts down its output. */
        InputStream input();

        /** Bytes to the client. */
        OutputStream output();

        /** EOF for the client; the input stays open. */
        void shutdownOutput();
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final SessionHandler handler;
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean open = true;

    private record Result(CompletableFuture<byte[]> trailer, long created) {
    }

    private ControlServer(Path path, ServerSocketChannel server, SessionHandler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        Thread.ofPlatform().name("clatter-control").daemon(true).start(this::accept);
    }

    /**
     * Listens on {@code path} with a line-mode handler; a stale socket file (no server answers) is replaced.
     *
     * @throws MdpException if another node already answers there
     */
    public static ControlServer open(Path path, Handler handler) {
        return serve(path, (args, s) -> handler.handle(args, s.out(), s.err()));
    }

    /**
     * Listens on {@code path} with a handler that may stream; a stale socket file (no server answers) is replaced.
     *
     * @throws MdpException if another node already answers there
     */
    public static ControlServer serve(Path path, SessionHandler handler) {
        if (Files.exists(path)) {
            if (ControlClient.answers(path)) {
                throw new MdpException("a node is already running with control socket " + path
                        + "; stop it with `clatter stop` or use another --instance");
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new MdpException("cannot remove the stale control socket " + path + ": " + e.getMessage(), e);
            }
        }
        try {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(path));
            return new ControlServer(path, s, handler);
        } catch (IOException e) {
            throw new MdpException("cannot open the control socket " + path + ": " + e.getMessage()
                    + " (Unix socket paths must be short: use a shorter --instance path)", e);
        }
    }

    public Path path() {
        return path;
    }

    private void accept() {
        while (open) {
            try {
                SocketChannel c = server.accept();
                // A platform thread per connection: stream verbs block for as long as their stream runs, and a
                // command is one connection, so there are few; they must not wait on the virtual-thread carriers.
                Thread.ofPlatform().daemon(true).name("clatter-control-client").start(() -> serve(c));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            InputStream in = new BufferedInputStream(new ChannelIn(c));
            Optional<String> line = readLine(in, MAX_REQUEST);
            Conn conn = new Conn(c, in);
            if (line.isEmpty()) {
                conn.err.println("clatter: the request was not one line of at most " + MAX_REQUEST + " bytes");
                conn.finish(1);
                return;
            }
            List<String> args = line.get().isEmpty() ? List.of() : Arrays.asList(line.get().split("\t", -1));
            if (!args.isEmpty() && args.getFirst().equals(STREAM_STATUS)) {
                streamStatus(args, conn);
                return;
            }
            int code;
            try {
                code = handler.handle(args, conn);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conn.err.println("clatter: interrupted");
                code = 1;
            } catch (Exception e) {
                conn.err.println("clatter: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                code = 1;
            }
            conn.finish(code);
        } catch (IOException e) {
            // the client went away
        }
    }

    private void streamStatus(List<String> args, Conn conn) throws IOException {
        Result r = args.size() == 2 ? results.get(args.get(1)) : null;
        if (r == null) {
            conn.err.println("clatter: no stream " + (args.size() == 2 ? args.get(1) : "(no token given)")
                    + " is known; it ended more than two minutes ago or never began");
            conn.finish(1);
            return;
        }
        byte[] trailer;
        try {
            trailer = r.trailer.get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            conn.err.println("clatter: the stream did not end");
            conn.finish(1);
            return;
        }
        results.remove(args.get(1));
        conn.raw.write(trailer);
    }

    /**
     * Reads one LF-terminated line of at most {@code max} bytes, byte by byte through the buffer (whatever follows
     * stays in {@code in}); empty at EOF before the LF or when the line is too long.
     */
    static Optional<String> readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int x; (x = in.read()) >= 0; ) {
            if (x == '\n') {
                return Optional.of(b.toString(StandardCharsets.UTF_8));
            }
            if (b.size() >= max) {
                return Optional.empty();
            }
            b.write(x);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort
        }
    }

    /** A connection: line output to the socket, or (stream mode) to the trailer kept for stream-status. */
    private final class Conn implements Session {
        final SocketChannel channel;
        final InputStream in;
        final Sink raw;
        final PrintStream out;
        final PrintStream err;
        private RawStream stream;
        private CompletableFuture<byte[]> result;

        Conn(SocketChannel channel, InputStream in) {
            this.channel = channel;
            this.in = in;
            this.raw = new Sink(new ChannelOut(channel));
            this.out = new PrintStream(new Lines(raw, 'o'), true, StandardCharsets.UTF_8);
            this.err = new PrintStream(new Lines(raw, 'e'), true, StandardCharsets.UTF_8);
        }

        @Override
        public PrintStream out() {
            return out;
        }

        @Override
        public PrintStream err() {
            return err;
        }

        @Override
        public synchronized Stream stream() throws IOException {
            if (stream != null) {
                return stream;
            }
            out.flush();
            err.flush();
            byte[] t = new byte[12];
            random.nextBytes(t);
            String token = HexFormat.of().formatHex(t);
            long now = System.nanoTime();
            results.values().removeIf(r -> r.trailer.isDone() && now - r.created > KEEP_RESULT_NANOS);
            result = new CompletableFuture<>();
            results.put(token, new Result(result, now));
            raw.write(("s " + token + "\n").getBytes(StandardCharsets.UTF_8));
            raw.divert();
            stream = new RawStream(channel, in, raw.target);
            return stream;
        }

        void finish(int code) throws IOException {
            out.close();
            err.close();
            raw.write(("x " + code + "\n").getBytes(StandardCharsets.UTF_8));
            CompletableFuture<byte[]> r;
            synchronized (this) {
                r = result;
            }
            if (r != null) {
                stream.shutdownOutput();
                r.complete(raw.diverted());
            }
        }
    }

    /** Where line output goes: the socket, until stream mode diverts it into a buffer. */
    private static final class Sink {
        final OutputStream target;
        private ByteArrayOutputStream diverted;

        Sink(OutputStream target) {
            this.target = target;
        }

        synchronized void write(byte[] b) throws IOException {
            if (diverted != null) {
                diverted.write(b);
            } else {
                target.write(b);
                target.flush();
            }
        }

        synchronized void divert() {
            diverted = new ByteArrayOutputStream();
        }

        synchronized byte[] diverted() {
            return diverted == null ? new byte[0] : diverted.toByteArray();
        }
    }

    private record RawStream(SocketChannel channel, InputStream input, OutputStream output) implements Stream {
        @Override
        public void shutdownOutput() {
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                // the client has gone: nothing left to end
            }
        }
    }

    /** Writes each complete line as {@code K line\n} to the sink. */
    private static final class Lines extends OutputStream {
        private final Sink sink;
        private final char kind;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(Sink sink, char kind) {
            this.sink = sink;
            this.kind = kind;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            if (b == '\n') {
                emit();
            } else {
                line.write(b);
            }
        }

        private void emit() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(line.size() + 3);
            b.write(kind);
            b.write(' ');
            line.writeTo(b);
            b.write('\n');
            sink.write(b.toByteArray());
            line.reset();
        }

        @Override
        public synchronized void close() throws IOException {
            if (line.size() > 0) {
                emit();
            }
        }
    }

    /**
     * Reads a socket channel directly: its read and write sides have separate locks, so one thread can read while
     * another writes (the streams of {@link java.nio.channels.Channels} share one lock on some JDKs).
     */
    static final class ChannelIn extends InputStream {
        private final SocketChannel c;

        ChannelIn(SocketChannel c) {
            this.c = c;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n;
            do {
                n = c.read(ByteBuffer.wrap(b, off, len));
            } while (n == 0);
            return n;
        }
    }

    /** Writes a socket channel directly (see {@link ChannelIn}). */
    static final class ChannelOut extends OutputStream {
        private final SocketChannel c;

        ChannelOut(SocketChannel c) {
            this.c = c;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                c.write(buf);
            }
        }
    }
}
