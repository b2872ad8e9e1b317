package org.clatter.mdp.node;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The CLI side of the control channel ({@link ControlServer} describes the protocol). */
public final class ControlClient {
    /** Exit code when no node answers. */
    public static final int NOT_RUNNING = 2;

    private ControlClient() {
    }

    /** Whether a node answers on {@code path} now. */
    public static boolean answers(Path path) {
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code args} in the node listening on {@code path}, copying its output as it comes. A verb that streams
     * gets no input and its bytes go to {@code out}.
     *
     * @return the command's exit code, or {@link #NOT_RUNNING} (with a message on {@code err})
     */
    public static int run(Path path, List<String> args, PrintStream out, PrintStream err) {
        return run(path, args, InputStream.nullInputStream(), out, out, err);
    }

    /**
     * Runs {@code args} in the node listening on {@code path}. Line output goes to {@code out} and {@code err}; if
     * the verb switches to stream mode, {@code in} is copied to the node (its EOF half-closes the connection) and
     * the node's bytes to {@code rawOut}, until the node ends the stream; then the verb's exit code is fetched.
     *
     * @return the command's exit code, or {@link #NOT_RUNNING} (with a message on {@code err})
     */
    public static int run(Path path, List<String> args, InputStream in, OutputStream rawOut, PrintStream out,
                          PrintStream err) {
        for (String a : args) {
            if (a.indexOf('\t') >= 0 || a.indexOf('\n') >= 0) {
                err.println("clatter: arguments cannot contain tabs or newlines");
                return 1;
            }
        }
        SocketChannel c;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            err.println("clatter: no node is running (no answer on " + path + "); start one with"
                    + " `clatter start --interface udp:ADDR/PREFIX`");
            return NOT_RUNNING;
        }
        try (c) {
            new ControlServer.ChannelOut(c).write((String.join("\t", args) + "\n").getBytes(StandardCharsets.UTF_8));
            InputStream r = new BufferedInputStream(new ControlServer.ChannelIn(c));
            Reply reply = lines(r, out, err);
            if (reply.code.isPresent()) {
                return reply.code.get();
            }
            if (reply.token.isEmpty()) {
                err.println("clatter: the node closed the control connection without an exit code");
                return 1;
            }
            relay(c, r, in, rawOut);
            // The node's output has ended, ours may not have: the connection stays open (the stdin pump goes on)
            // until the verb ends, which is when stream-status answers.
            return run(path, List.of(ControlServer.STREAM_STATUS, reply.token.get()), out, err);
        } catch (IOException | NumberFormatException e) {
            err.println("clatter: control channel failed: " + e.getMessage());
            return 1;
        }
    }

    /** The end of the line part of a reply: an exit code, or the token of a stream that began. */
    private record Reply(Optional<Integer> code, Optional<String> token) {
    }

    /** Copies {@code o}/{@code e} lines until the exit code or the start of a stream. */
    private static Reply lines(InputStream r, PrintStream out, PrintStream err) throws IOException {
        for (Optional<String> line; (line = ControlServer.readLine(r, Integer.MAX_VALUE)).isPresent(); ) {
            String l = line.get();
            if (l.startsWith("o ")) {
                out.println(l.substring(2));
            } else if (l.startsWith("e ")) {
                err.println(l.substring(2));
            } else if (l.startsWith("x ")) {
                return new Reply(Optional.of(Integer.parseInt(l.substring(2).trim())), Optional.empty());
            } else if (l.startsWith("s ")) {
                return new Reply(Optional.empty(), Optional.of(l.substring(2).trim()));
            }
        }
        return new Reply(Optional.empty(), Optional.empty());
    }

    /** stdin → node on a helper thread (EOF: half-close), node → rawOut here until the node's EOF. */
    private static void relay(SocketChannel c, InputStream fromNode, InputStream in, OutputStream rawOut)
            throws IOException {
        Thread.ofPlatform().daemon(true).name("clatter-control-stdin").start(() -> {
            OutputStream toNode = new ControlServer.ChannelOut(c);
            byte[] buf = new byte[16 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    toNode.write(buf, 0, n);
                }
                c.shutdownOutput();
            } catch (IOException e) {
                // the node ended the stream first
            }
        });
        byte[] buf = new byte[16 * 1024];
        try {
            for (int n; (n = fromNode.read(buf)) >= 0; ) {
                rawOut.write(buf, 0, n);
                rawOut.flush();
            }
        } catch (java.nio.channels.AsynchronousCloseException e) {
            // closed under us: the node's verb has ended; its exit code says how
        }
    }
}
