package org.clatter.clacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.clatter.clacks.json.JsonLimits;
import org.clatter.clacks.json.JsonReader;
import org.clatter.clacks.json.JsonResult;
import org.clatter.clacks.json.JsonValue;

/**
 * {@code clatter clacks run}: runs a node in the foreground. Each stdin line is enqueued (as a JSON string, or
 * parsed as JSON with {@code --json}); each received message is printed on stdout as one JSON line.
 */
public final class ClacksCommand {

    public static final String HELP = """
            Usage: clatter clacks run --hostname H --port P --tls-cert CERT --tls-key KEY
                                      [--peer HOST:PORT ...] [--sendrate N] [--trust CERT]
                                      [--bind ADDR] [--json] [--exit-on-eof] [--sign]
                                      [--mesh-interface udp:ADDR/PREFIX[:PORT] ...]
                                      [--mesh-peer ADDR[:PORT] ...] [--mesh-instance DIR]
                                      [--mesh-port N]
                   clatter clacks run --mesh-interface udp:ADDR/PREFIX[:PORT] [--mesh-...]
                                      [--peer sid-SID:193 ...] [--sendrate N] [...]

            Runs a Clacks gossip node (compatible with clacks-p2p 0.3.3) in the foreground.
            Every line read on stdin is queued as a message; every message received is
            printed on stdout as one line of JSON. Diagnostics go to stderr.

              --hostname H      name advertised to peers and bound (unless --bind); peers must
                                be able to resolve it and verify it against CERT (e.g. 127.0.0.1
                                with an IP SAN)
              --port P          HTTPS port to listen on and advertise (0: a free port)
              --tls-cert CERT   PEM certificate (chain) for the HTTPS server
              --tls-key KEY     PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----)
              --peer HOST:PORT  a peer to start with (repeatable)
              --sendrate N      messages sent per second (default 1; may be fractional)
              --trust CERT      PEM certificate to trust for outgoing HTTPS, such as a peer's
                                self-signed one (default: the system trust store)
              --bind ADDR       bind this address instead of the hostname's (0.0.0.0: all)
              --json            parse each stdin line as a JSON value instead of taking it as text
              --exit-on-eof     when stdin ends, wait (up to 30 s) for the queue to drain, then exit
              --sign            sign messages with Ed25519 (needs the clatter-crypto module)

            Over the Serval mesh (MDP; needs the org.clatter.mdp module): the command runs
            its own MDP node in this process and gossips with crypted MDP datagrams on MDP
            port 193. Mesh peers are named sid-<64 hex digits>:<MDP port>. With HTTPS
            options too, the node bridges: sid- peers over MDP, others over HTTPS.
              --mesh-interface SPEC  an MDP interface, e.g. udp:127.1.0.1/24:4110 (repeatable;
                                enables the mesh)
              --mesh-peer ADDR  a UDP address that gets the interfaces' broadcasts by unicast
                                (repeatable; for links without broadcast, such as loopback)
              --mesh-instance DIR  take the node's identities from DIR's keyring (PIN from
                                CLATTER_PIN; not one a running `clatter start` uses);
                                default: a fresh identity for this run
              --mesh-port N     the MDP port of Clacks (default 193)
              --help            this text

            Exit status: 0 on success, 1 when the node fails, 2 on a usage error.
            """;

    private ClacksCommand() {
    }

    /** Runs the command; {@code args} are those after {@code clacks run}. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        ClacksOptions.Builder b = ClacksOptions.builder();
        boolean json = false;
        boolean exitOnEof = false;
        String hostname = null;
        Integer port = null;
        String cert = null;
        String key = null;
        List<String> meshInterfaces = new ArrayList<>();
        List<String> meshPeers = new ArrayList<>();
        Optional<Path> meshInstance = Optional.empty();
        int meshPort = DEFAULT_MESH_PORT;
        boolean https;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        out.print(HELP);
                        return 0;
                    }
                    case "--json" -> json = true;
                    case "--exit-on-eof" -> exitOnEof = true;
                    case "--sign" -> b.sign(true);
                    case "--hostname" -> hostname = value(args, ++i, a);
                    case "--port" -> port = integer(value(args, ++i, a), a);
                    case "--tls-cert" -> cert = value(args, ++i, a);
                    case "--tls-key" -> key = value(args, ++i, a);
                    case "--trust" -> b.trust(Path.of(value(args, ++i, a)));
                    case "--bind" -> b.bindAddress(value(args, ++i, a));
                    case "--peer" -> b.peer(PeerAddress.parse(value(args, ++i, a)));
                    case "--mesh-interface" -> meshInterfaces.add(value(args, ++i, a));
                    case "--mesh-peer" -> meshPeers.add(value(args, ++i, a));
                    case "--mesh-instance" -> meshInstance = Optional.of(Path.of(value(args, ++i, a)));
                    case "--mesh-port" -> {
                        meshPort = integer(value(args, ++i, a), a);
                        if (meshPort < 1 || meshPort > 65535) {
                            throw new Usage("--mesh-port takes a port in 1..65535, not " + meshPort);
                        }
                    }
                    case "--sendrate" -> {
                        String v = value(args, ++i, a);
                        try {
                            b.sendrate(Double.parseDouble(v));
                        } catch (NumberFormatException e) {
                            throw new Usage("--sendrate takes a number of messages per second, not '" + v + "'");
                        }
                    }
                    default -> throw new Usage("unknown option '" + a + "'");
                }
            }
            https = hostname != null || port != null || cert != null || key != null;
            if (meshInterfaces.isEmpty() && !https) {
                throw new Usage("--hostname, --port, --tls-cert and --tls-key are required (or --mesh-interface)");
            }
            if (https && (hostname == null || port == null || cert == null || key == null)) {
                throw new Usage("--hostname, --port, --tls-cert and --tls-key go together");
            }
            if (meshInterfaces.isEmpty() && (!meshPeers.isEmpty() || meshInstance.isPresent())) {
                throw new Usage("--mesh-peer and --mesh-instance need --mesh-interface");
            }
            if (https) {
                b.hostname(hostname).port(port).tls(Path.of(cert), Path.of(key));
            }
        } catch (Usage | ClacksException e) {
            err.println("clatter clacks run: " + e.getMessage());
            err.println("Try 'clatter clacks run --help'.");
            return 2;
        }
        // Slow clients: the JDK server's request time is unlimited by default; this process owns the JVM, so bound it.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
        Mesh mesh = null;
        if (!meshInterfaces.isEmpty()) {
            try {
                mesh = Mesh.start(meshInstance, meshInterfaces, meshPeers, meshPort, b, https);
            } catch (ClacksException e) {
                err.println("clatter clacks run: " + e.getMessage());
                return 1;
            }
            err.println("clacks: on the mesh as " + mesh.self() + " over " + mesh.interfaces());
        }
        try (Mesh m = mesh; ClacksNode node = m == null ? ClacksNode.create(b.build()) : m.node(b.build())) {
            node.onMessageReceived((from, payload) -> {
                synchronized (out) {
                    out.println(payload.message().toJson());
                    out.flush();
                }
                return Optional.of(payload.message());
            });
            node.start();
            if (node.boundAddress().isPresent()) {
                err.println("clacks: listening on https://" + node.boundAddress()
                        .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).orElse("?")
                        + " as " + node.self() + (node.signing() ? " (signing)" : ""));
            } else {
                err.println("clacks: mesh only, as " + node.self() + (node.signing() ? " (signing)" : ""));
            }
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "clacks-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            readLines(in, node, json, err);
            if (exitOnEof) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while ((node.queueSize() > 0 || node.inFlight() > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                if (node.queueSize() > 0 || node.inFlight() > 0) {
                    err.println("clacks: exiting with " + (node.queueSize() + node.inFlight()) + " messages undelivered");
                }
            } else {
                stop.await();
            }
            err.println("clacks: stopping; counters " + node.counters()
                    + (m == null ? "" : "; mesh " + m.counters()));
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting
            }
            return 0;
        } catch (ClacksException e) {
            err.println("clatter clacks run: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The mesh side, kept in its own class so that {@code org.clatter.clacks.mdp} (and so {@code org.clatter.mdp})
     * is only loaded when mesh options are given.
     */
    private static final class Mesh implements AutoCloseable {
        private final org.clatter.clacks.mdp.MdpClacksMesh mesh;
        private final DatagramClacksTransport transport;
        private final boolean https;

        private Mesh(org.clatter.clacks.mdp.MdpClacksMesh mesh, boolean https, java.time.Duration timeout) {
            this.mesh = mesh;
            this.https = https;
            this.transport = new DatagramClacksTransport(mesh.datagrams(), timeout);
        }

        static Mesh start(Optional<Path> instance, List<String> interfaces, List<String> peers, int port,
                          ClacksOptions.Builder b, boolean https) {
            org.clatter.clacks.mdp.MdpClacksMesh m;
            try {
                m = org.clatter.clacks.mdp.MdpClacksMesh.start(instance, interfaces, peers, port);
            } catch (NoClassDefFoundError e) {
                throw new ClacksException("the mesh options need the org.clatter.mdp module; run the clatter image"
                        + " or add clatter-mdp to the module path");
            }
            if (!https) {
                b.hostname(m.self().hostname()).port(m.self().port())
                        .maxMessageBytes(org.clatter.clacks.mdp.MdpClacksDatagrams.MAX_MESSAGE);
            }
            return new Mesh(m, https, b.build().requestTimeout());
        }

        PeerAddress self() {
            return mesh.self();
        }

        List<String> interfaces() {
            return mesh.interfaces();
        }

        java.util.Map<String, Long> counters() {
            return mesh.counters();
        }

        ClacksNode node(ClacksOptions options) {
            ClacksNode n = ClacksNode.create(options, https
                    ? ClacksTransports.route("sid-", transport, ClacksTransports.https(options)) : transport);
            transport.bind(n);
            if (https) {
                n.advertise("sid-", mesh.self());
            }
            return n;
        }

        @Override
        public void close() {
            transport.close();
            mesh.close();
        }
    }

    /** The MDP port Clacks uses by default ({@code MdpClacksDatagrams.PORT}; kept here so HTTPS-only runs need no MDP). */
    static final int DEFAULT_MESH_PORT = 193;

    private static void readLines(InputStream in, ClacksNode node, boolean json, PrintStream err) {
        JsonLimits limits = JsonLimits.DEFAULT;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonValue v;
                if (json) {
                    JsonResult res = JsonReader.parse(line, limits);
                    if (res instanceof JsonResult.Error e) {
                        err.println("clacks: line is not JSON (" + e.message() + "); skipped");
                        continue;
                    }
                    v = ((JsonResult.Ok) res).value();
                } else {
                    if (line.isEmpty()) {
                        continue;
                    }
                    v = new org.clatter.clacks.json.JsonString(line);
                }
                EnqueueResult res = node.enqueue(v);
                if (res != EnqueueResult.QUEUED) {
                    err.println("clacks: message not queued: " + res);
                }
            }
        } catch (IOException e) {
            err.println("clacks: reading stdin failed: " + e.getMessage());
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new Usage(option + " needs a value");
        }
        return args[i];
    }

    private static int integer(String v, String option) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new Usage(option + " takes a whole number, not '" + v + "'");
        }
    }

    private static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }
}
