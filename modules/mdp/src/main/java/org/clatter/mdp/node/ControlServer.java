package org.clatter.mdp.node;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.clatter.mdp.MdpException;

/**
 * The node's local control channel: a Unix domain socket in the instance directory. Protocol, one request per
 * connection, UTF-8 lines: the client sends the command's arguments joined by TAB and a newline; the server
 * answers with lines {@code o TEXT} (standard output), {@code e TEXT} (standard error), streamed as the command
 * runs, and a last line {@code x CODE} (the exit code).
 */
public final class ControlServer implements AutoCloseable {
    /** A command run for a client; writes to {@code out}/{@code err} and returns the exit code. */
    @FunctionalInterface
    public interface Handler {
        int handle(List<String> args, PrintStream out, PrintStream err);
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final Thread acceptor;
    private volatile boolean open = true;

    private ControlServer(Path path, ServerSocketChannel server, Handler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.acceptor = Thread.ofPlatform().name("clatter-control").daemon(true).start(this::accept);
    }

    /**
     * Listens on {@code path}; a stale socket file (no server answers) is replaced.
     *
     * @throws MdpException if another node already answers there
     */
    public static ControlServer open(Path path, Handler handler) {
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
                Thread.ofVirtual().name("clatter-control-client").start(() -> serve(c));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null) {
                return;
            }
            OutputStream raw = Channels.newOutputStream(c);
            List<String> args = line.isEmpty() ? List.of() : Arrays.asList(line.split("\t", -1));
            int code;
            try (PrintStream out = new PrintStream(new Lines(raw, 'o'), true, StandardCharsets.UTF_8);
                 PrintStream err = new PrintStream(new Lines(raw, 'e'), true, StandardCharsets.UTF_8)) {
                try {
                    code = handler.handle(args, out, err);
                } catch (RuntimeException e) {
                    err.println("clatter: " + e.getMessage());
                    code = 1;
                }
                out.flush();
                err.flush();
                synchronized (raw) {
                    raw.write(("x " + code + "\n").getBytes(StandardCharsets.UTF_8));
                    raw.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
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

    /** Writes each complete line as {@code K line\n} to the shared stream. */
    private static final class Lines extends OutputStream {
        private final OutputStream raw;
        private final char kind;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(OutputStream raw, char kind) {
            this.raw = raw;
            this.kind = kind;
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n') {
                emit();
            } else {
                line.write(b);
            }
        }

        private void emit() throws IOException {
            synchronized (raw) {
                raw.write(kind);
                raw.write(' ');
                line.writeTo(raw);
                raw.write('\n');
                raw.flush();
            }
            line.reset();
        }

        @Override
        public void close() throws IOException {
            if (line.size() > 0) {
                emit();
            }
        }
    }
}
