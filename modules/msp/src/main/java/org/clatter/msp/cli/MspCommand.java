package org.clatter.msp.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Sid;
import org.clatter.mdp.node.ControlClient;
import org.clatter.mdp.node.Instance;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspCloseReason;
import org.clatter.msp.MspException;
import org.clatter.msp.MspListening;
import org.clatter.msp.MspStreams;
import org.clatter.msp.mdp.MspNode;

/**
 * {@code clatter msp listen|connect|send-file|receive-file}. Without {@code --interface} each goes through the node
 * running in the instance ({@code clatter start}; {@link MspNodeService} on the node relays the bytes over the
 * control channel's stream mode); with {@code --interface}, or when no node runs, each runs a node in its own
 * process (see {@link InProcessNode#USAGE}). Exit status 0 on success, 1 on failure, 2 on a usage error.
 *
 * <ul>
 *   <li>{@code listen PORT}: waits for one stream on PORT (any local identity), then relays stdin to it and its
 *       data to stdout until both directions are shut down (servald's {@code msp listen});</li>
 *   <li>{@code connect SID PORT}: the same, as the side that opens the stream (servald's {@code msp connect});</li>
 *   <li>{@code send-file SID PORT FILE [--progress]}: sends FILE's name, size and bytes, then waits for the
 *       receiver's SHA-256 and compares it;</li>
 *   <li>{@code receive-file PORT DIR [--progress]}: receives one file into DIR (name only, no path), answers with
 *       its SHA-256.</li>
 * </ul>
 * The progress bar (rate, ETA) goes to stderr when stderr is a terminal or with {@code --progress}; it is drawn
 * here, on the client side, either way (the client knows the sizes).
 */
public final class MspCommand {
    private static final int USAGE_ERROR = 2;
    private static final double ROUTE_WAIT_SECONDS = 15;

    private MspCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE_ERROR : 0;
        }
        String verb = args[0];
        InProcessNode.Options o = InProcessNode.Options.parse(Arrays.copyOfRange(args, 1, args.length));
        boolean progress = o.rest.remove("--progress") || System.console() != null && err == System.err;
        List<String> pos = o.rest;
        try {
            return switch (verb) {
                case "listen" -> pos.size() == 1 ? listen(port(pos.get(0)), o, in, out, err) : usage(err);
                case "connect" -> pos.size() == 2 ? connect(Sid.parse(pos.get(0)), port(pos.get(1)), o, in, out, err)
                        : usage(err);
                case "send-file" -> pos.size() == 3
                        ? sendFile(Sid.parse(pos.get(0)), port(pos.get(1)), Path.of(pos.get(2)), progress, o, out, err)
                        : usage(err);
                case "receive-file" -> pos.size() == 2
                        ? receiveFile(port(pos.get(0)), Path.of(pos.get(1)), progress, o, out, err) : usage(err);
                default -> usage(err);
            };
        } catch (IOException e) {
            err.println("clatter msp " + verb + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int usage(PrintStream ps) {
        ps.println("usage: clatter msp listen PORT " + InProcessNode.USAGE);
        ps.println("       clatter msp connect SID PORT " + InProcessNode.USAGE);
        ps.println("       clatter msp send-file SID PORT FILE [--progress] " + InProcessNode.USAGE);
        ps.println("       clatter msp receive-file PORT DIR [--progress] " + InProcessNode.USAGE);
        ps.println("  listen/connect relay stdin and stdout over one MSP stream, like servald's msp commands.");
        ps.println("  Without --interface they go through the node running in the instance (clatter start;");
        ps.println("  --instance DIR or CLATTER_INSTANCE, else ~/.clatter). With --interface, or when no node runs,");
        ps.println("  they run their own node: --instance DIR keeps its identity (a keyring made on first use;");
        ps.println("  without it a new identity per run), --interface is a UDP interface, --peer a node that");
        ps.println("  hears this one only by unicast; --servald-window keeps servald's window of 4.");
        return USAGE_ERROR;
    }

    static int port(String s) {
        try {
            long p = Long.parseLong(s);
            if (p <= 0 || p > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return (int) p;
        } catch (NumberFormatException e) {
            throw new MspException("a port is a number from 1 to 4294967295; got \"" + s + "\"");
        }
    }

    /** Accepts the first stream on {@code port}; later ones are stopped. */
    private static MspStreams accept(InProcessNode node, int port, PrintStream err) throws InterruptedException {
        return accept(node.msp, node.sid(), port, err, l -> { });
    }

    /**
     * Accepts the first stream on {@code port} of {@code msp}; later ones are stopped. {@code listening} gets the
     * port as soon as it is bound: close it when the stream has ended (the accepted stream sends from that port),
     * also when this throws.
     */
    static MspStreams accept(MspNode msp, Sid self, int port, PrintStream err,
                             java.util.function.Consumer<MspListening> listening) throws InterruptedException {
        CompletableFuture<MspStreams> first = new CompletableFuture<>();
        try {
            MspListening l = msp.call(e -> e.listen(MspAddress.anyIdentity(port), c -> {
                MspStreams s = new MspStreams(msp.scheduler()).attach(c);
                if (!first.complete(s)) {
                    c.stop();
                }
                return s;
            })).get(5, TimeUnit.SECONDS);
            listening.accept(l);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new MspException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MspException("the node did not answer; try again");
        }
        err.println("msp: listening on " + self + ":" + Integer.toUnsignedString(port));
        err.flush();
        try {
            return first.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new MspException(e.getMessage(), e);
        }
    }

    private static MspStreams open(InProcessNode node, Sid to, int port, PrintStream err) throws InterruptedException {
        return open(node.msp, node.sid(), to, port, node::awaitRoute, err);
    }

    /** Waits until a SID is reachable; false after the given seconds. */
    @FunctionalInterface
    interface RouteWait {
        boolean await(Sid to, double seconds) throws InterruptedException;
    }

    /** Opens a stream from {@code msp}'s primary identity to {@code to:port} once a route exists. */
    static MspStreams open(MspNode msp, Sid self, Sid to, int port, RouteWait route, PrintStream err)
            throws InterruptedException {
        err.println("msp: " + self + " connecting to " + to + ":" + Integer.toUnsignedString(port));
        if (!route.await(to, ROUTE_WAIT_SECONDS)) {
            throw new MspException("no route to " + to + " after " + (int) ROUTE_WAIT_SECONDS
                    + " s; check --interface and --peer, and that the node is up");
        }
        MspStreams s = new MspStreams(msp.scheduler());
        MspAddress remote = MspAddress.of(to.toBytes(), port);
        try {
            msp.call(e -> s.attach(e.connect(msp.layer().primaryIdentity(), remote, s)))
                    .get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new MspException(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MspException("the node did not answer; try again");
        }
        return s;
    }

    /**
     * The running node of the instance ({@code --instance}, else {@code CLATTER_INSTANCE}, else {@code ~/.clatter}),
     * when one answers and no {@code --interface} asks for an in-process node.
     */
    private static Optional<Path> daemon(InProcessNode.Options o) {
        if (!o.interfaces.isEmpty()) {
            return Optional.empty();
        }
        Path sock = Instance.resolve(o.instance == null ? null : o.instance.toString(), null, System.getenv())
                .controlSocket();
        return ControlClient.answers(sock) ? Optional.of(sock) : Optional.empty();
    }

    private static int listen(int port, InProcessNode.Options o, InputStream in, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        Optional<Path> d = daemon(o);
        if (d.isPresent()) {
            return ControlClient.run(d.get(), List.of("msp", "listen", Integer.toUnsignedString(port)), in, out, err,
                    err);
        }
        try (InProcessNode node = InProcessNode.start(o)) {
            return relay(accept(node, port, err), in, out, () -> { }, err);
        }
    }

    private static int connect(Sid to, int port, InProcessNode.Options o, InputStream in, PrintStream out,
                               PrintStream err) throws IOException, InterruptedException {
        Optional<Path> d = daemon(o);
        if (d.isPresent()) {
            return ControlClient.run(d.get(), List.of("msp", "connect", to.toString(), Integer.toUnsignedString(port)),
                    in, out, err, err);
        }
        try (InProcessNode node = InProcessNode.start(o)) {
            return relay(open(node, to, port, err), in, out, () -> { }, err);
        }
    }

    /**
     * stdin → stream (EOF = shutdown) on a helper thread, stream → {@code out} here until the remote shuts down
     * ({@code endOfOutput} then runs), then waits for the stream to close. Used in-process and by the node's
     * {@code msp listen|connect} verbs, where {@code in} and {@code out} are the control connection's raw bytes.
     */
    static int relay(MspStreams s, InputStream in, OutputStream out, Runnable endOfOutput, PrintStream err)
            throws IOException, InterruptedException {
        Thread pump = Thread.ofPlatform().daemon(true).name("msp-stdin").start(() -> {
            try (OutputStream os = s.outputStream()) {
                byte[] buf = new byte[16 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    os.write(buf, 0, n);
                    if (in.available() == 0) {
                        os.flush();
                    }
                }
            } catch (IOException e) {
                // the stream closed under us: the reader reports how
            }
        });
        InputStream is = s.inputStream();
        byte[] buf = new byte[16 * 1024];
        try {
            for (int n; (n = is.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            err.println("msp: cannot pass on what arrives: " + e.getMessage());
            return 1;
        } finally {
            endOfOutput.run();
        }
        pump.join(TimeUnit.SECONDS.toMillis(15));
        MspCloseReason why = awaitClose(s);
        if (why != MspCloseReason.NORMAL) {
            err.println("msp: stream ended: " + why);
            return 1;
        }
        return 0;
    }

    static MspCloseReason awaitClose(MspStreams s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (s.closeReason().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return s.closeReason().orElse(MspCloseReason.TIMEOUT);
    }

    /** One byte stream to the peer and its end: an in-process MSP stream or the node's relayed one. */
    private interface Link extends AutoCloseable {
        InputStream in();

        OutputStream out();

        /** Waits for the stream to end; true if it closed normally. */
        boolean finish() throws InterruptedException;

        @Override
        void close();
    }

    private static Link inProcess(InProcessNode node, MspStreams s) {
        return new Link() {
            @Override
            public InputStream in() {
                return s.inputStream();
            }

            @Override
            public OutputStream out() {
                return s.outputStream();
            }

            @Override
            public boolean finish() throws InterruptedException {
                return awaitClose(s) == MspCloseReason.NORMAL;
            }

            @Override
            public void close() {
                node.close();
            }
        };
    }

    /** The node's {@code msp connect|listen} verb in stream mode, on a helper thread, through two pipes. */
    private static Link viaNode(Path sock, List<String> request, PrintStream err) throws IOException {
        PipedInputStream toNode = new PipedInputStream(64 * 1024);
        PipedOutputStream toNodeWriter = new PipedOutputStream(toNode);
        PipedInputStream fromNode = new PipedInputStream(64 * 1024);
        PipedOutputStream fromNodeWriter = new PipedOutputStream(fromNode);
        CompletableFuture<Integer> code = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("msp-node-relay").start(() -> {
            try {
                code.complete(ControlClient.run(sock, request, toNode, fromNodeWriter, err, err));
            } finally {
                try {
                    fromNodeWriter.close();
                } catch (IOException e) {
                    // the reader has gone
                }
            }
        });
        return new Link() {
            @Override
            public InputStream in() {
                return fromNode;
            }

            @Override
            public OutputStream out() {
                return toNodeWriter;
            }

            @Override
            public boolean finish() throws InterruptedException {
                try {
                    return code.get(60, TimeUnit.SECONDS) == 0;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    return false;
                }
            }

            @Override
            public void close() {
                try {
                    toNodeWriter.close();
                    fromNode.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        };
    }

    private static int sendFile(Sid to, int port, Path file, boolean progress, InProcessNode.Options o,
                                PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new MspException("no such file: " + file);
        }
        long size = Files.size(file);
        Optional<Path> d = daemon(o);
        Link link;
        if (d.isPresent()) {
            link = viaNode(d.get(), List.of("msp", "connect", to.toString(), Integer.toUnsignedString(port)), err);
        } else {
            InProcessNode node = InProcessNode.start(o);
            try {
                link = inProcess(node, open(node, to, port, err));
            } catch (RuntimeException | InterruptedException e) {
                node.close();
                throw e;
            }
        }
        try (link) {
            MessageDigest sha = sha256();
            Progress bar = new Progress(err, size, progress);
            try (DataOutputStream os = new DataOutputStream(link.out()); InputStream fin = Files.newInputStream(file)) {
                os.writeUTF(file.getFileName().toString());
                os.writeLong(size);
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = fin.read(buf)) >= 0; ) {
                    os.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    bar.advance(n);
                }
            }
            double rate = bar.finish();
            byte[] theirs = link.in().readAllBytes();
            byte[] ours = sha.digest();
            boolean normal = link.finish();
            if (!Arrays.equals(ours, theirs)) {
                err.println("msp: the receiver's SHA-256 does not match (" + HexFormat.of().formatHex(theirs) + ")");
                return 1;
            }
            out.printf("sent %s (%d bytes) to %s:%d at %s/s, SHA-256 %s verified by the receiver%n",
                    file.getFileName(), size, to, port, Progress.size((long) rate), HexFormat.of().formatHex(ours));
            return normal ? 0 : 1;
        }
    }

    private static int receiveFile(int port, Path dir, boolean progress, InProcessNode.Options o, PrintStream out,
                                   PrintStream err) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Optional<Path> d = daemon(o);
        Link link;
        if (d.isPresent()) {
            link = viaNode(d.get(), List.of("msp", "listen", Integer.toUnsignedString(port)), err);
        } else {
            InProcessNode node = InProcessNode.start(o);
            try {
                link = inProcess(node, accept(node, port, err));
            } catch (RuntimeException | InterruptedException e) {
                node.close();
                throw e;
            }
        }
        try (link) {
            DataInputStream is = new DataInputStream(link.in());
            String name = Path.of(is.readUTF()).getFileName().toString();
            if (name.isEmpty() || name.equals("..") || name.equals(".")) {
                throw new MspException("the sender named no usable file (\"" + name + "\")");
            }
            long size = is.readLong();
            Path tmp = Files.createTempFile(dir, ".msp-", ".part");
            MessageDigest sha = sha256();
            Progress bar = new Progress(err, size, progress);
            long got = 0;
            try (OutputStream fout = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; got < size && (n = is.read(buf, 0, (int) Math.min(buf.length, size - got))) >= 0; ) {
                    fout.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    got += n;
                    bar.advance(n);
                }
            }
            double rate = bar.finish();
            if (got != size) {
                Files.deleteIfExists(tmp);
                err.println("msp: the stream ended after " + got + " of " + size + " bytes");
                return 1;
            }
            Path target = dir.resolve(name);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            byte[] digest = sha.digest();
            try (OutputStream os = link.out()) {
                os.write(digest);
            }
            is.readAllBytes();
            out.printf("received %s (%d bytes) at %s/s, SHA-256 %s%n", target, size, Progress.size((long) rate),
                    HexFormat.of().formatHex(digest));
            return link.finish() ? 0 : 1;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
