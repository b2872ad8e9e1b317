package org.clatter.clacks.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.TestCerts;
import org.clatter.clacks.json.JsonLimits;
import org.clatter.clacks.json.JsonObject;
import org.clatter.clacks.json.JsonReader;
import org.clatter.clacks.json.JsonResult;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;

/**
 * One real clacks-p2p 0.3.3 node, run by {@code conformance/clacks-interop/driver.js} under Node. Fails (never
 * skips) when Node or the npm package is missing.
 */
public final class NodeClacks implements AutoCloseable {
    static final String INSTALL = "npm ci --prefix conformance/clacks-interop";
    private static final JsonLimits LIMITS = new JsonLimits(1 << 22, 64, 1 << 22, 1 << 16, 64);

    private final Process process;
    private final OutputStream stdin;
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    public final PeerAddress address;

    private NodeClacks(Process p, PeerAddress address) {
        this.process = p;
        this.stdin = p.getOutputStream();
        this.address = address;
        Thread.ofPlatform().daemon().name("node-clacks-out-" + address.port()).start(() -> read());
        Thread.ofPlatform().daemon().name("node-clacks-err-" + address.port()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderr) {
                        if (stderr.length() < 20_000) {
                            stderr.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
    }

    /** The interop directory, or a failure telling how to install it. */
    public static Path interopDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("conformance/clacks-interop"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new AssertionError("conformance/clacks-interop not found above " + Path.of("").toAbsolutePath());
        }
        Path interop = dir.resolve("conformance/clacks-interop");
        try {
            Process v = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (v.waitFor() != 0) {
                throw new AssertionError("'node --version' failed (" + out + "); install Node 20 and run " + INSTALL);
            }
        } catch (IOException e) {
            throw new AssertionError("Node is not installed (" + e.getMessage() + "); install Node 20, then run " + INSTALL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Path pkg = interop.resolve("node_modules/clacks-p2p/package.json");
        try {
            if (!Files.isRegularFile(pkg) || !Files.readString(pkg).contains("\"version\": \"0.3.3\"")) {
                throw new AssertionError("clacks-p2p 0.3.3 is not installed in " + interop + "; run " + INSTALL
                        + " from the repository root");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + pkg + "; run " + INSTALL, e);
        }
        return interop;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts a node on a free 127.0.0.1 port (retrying if the port was taken meanwhile). */
    public static NodeClacks start(int sendrate, boolean quiet) {
        Path interop = interopDir();
        TestCerts.Files2 certs = TestCerts.get();
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            String opts = "{\"hostname\":\"127.0.0.1\",\"port\":" + port + ",\"sendrate\":" + sendrate + ",\"key\":\""
                    + certs.key().toString().replace("\\", "\\\\") + "\",\"cert\":\"" + certs.cert().toString().replace("\\", "\\\\")
                    + "\",\"quiet\":" + quiet + "}";
            ProcessBuilder pb = new ProcessBuilder("node", interop.resolve("driver.js").toString(), opts).directory(interop.toFile());
            pb.environment().put("NODE_EXTRA_CA_CERTS", certs.cert().toString());
            NodeClacks n;
            try {
                n = new NodeClacks(pb.start(), new PeerAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new AssertionError("cannot start node: " + e.getMessage() + "; install Node 20 and run " + INSTALL, e);
            }
            Optional<JsonObject> first = n.await(10_000, e -> is(e, "ready") || is(e, "error"));
            if (first.isPresent() && is(first.get(), "ready")) {
                // the server listens right after the constructor; give it a moment to bind
                n.awaitListening();
                return n;
            }
            n.close();
        }
        throw new AssertionError("could not start a clacks-p2p node");
    }

    private void awaitListening() {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), address.port())) {
                return;
            } catch (IOException e) {
                sleep(20);
            }
        }
        throw new AssertionError("clacks-p2p did not listen on " + address + ": " + stderr());
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (JsonReader.parse(line, LIMITS) instanceof JsonResult.Ok ok && ok.value() instanceof JsonObject o) {
                    events.add(o);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    public static boolean is(JsonObject e, String event) {
        return e.get("event").equals(Optional.of(new JsonString(event)));
    }

    public void command(String json) {
        try {
            stdin.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("clacks-p2p node died: " + stderr(), e);
        }
    }

    public void addPeer(PeerAddress p) {
        command("{\"cmd\":\"addPeer\",\"hostname\":\"" + p.hostname() + "\",\"port\":" + p.port() + "}");
    }

    public void announce(PeerAddress p) {
        command("{\"cmd\":\"announce\",\"hostname\":\"" + p.hostname() + "\",\"port\":" + p.port() + "}");
    }

    public void ignore(PeerAddress p) {
        command("{\"cmd\":\"ignore\",\"hostname\":\"" + p.hostname() + "\",\"port\":" + p.port() + "}");
    }

    public void enqueue(JsonValue message) {
        command("{\"cmd\":\"enqueue\",\"message\":" + message.toJson() + "}");
    }

    public List<JsonObject> events() {
        return events;
    }

    public Optional<JsonObject> await(long millis, Predicate<JsonObject> p) {
        long end = System.nanoTime() + millis * 1_000_000L;
        int from = 0;
        while (true) {
            List<JsonObject> snap = List.copyOf(events);
            for (int i = from; i < snap.size(); i++) {
                if (p.test(snap.get(i))) {
                    return Optional.of(snap.get(i));
                }
            }
            from = snap.size();
            if (System.nanoTime() > end) {
                return Optional.empty();
            }
            sleep(20);
        }
    }

    /** A reply to {@code cmd}, requested now. */
    public JsonObject ask(String cmd) {
        String id = Long.toString(System.nanoTime());
        command("{\"cmd\":\"" + cmd + "\",\"id\":\"" + id + "\"}");
        return await(5000, e -> is(e, "reply") && e.get("id").equals(Optional.of(new JsonString(id))))
                .orElseThrow(() -> new AssertionError("no reply to " + cmd + ": " + stderr()));
    }

    /** True if this node has a peer at {@code p} in its table (any status). */
    public boolean knows(PeerAddress p) {
        JsonValue peers = ask("peers").get("peers").orElseThrow();
        return ((org.clatter.clacks.json.JsonArray) peers).elements().stream().anyMatch(v -> peerIs((JsonObject) v, p));
    }

    public Optional<String> status(PeerAddress p) {
        JsonValue peers = ask("peers").get("peers").orElseThrow();
        return ((org.clatter.clacks.json.JsonArray) peers).elements().stream().map(v -> (JsonObject) v)
                .filter(v -> peerIs(v, p)).map(v -> ((JsonString) v.get("status").orElseThrow()).value()).findFirst();
    }

    static boolean peerIs(JsonObject peer, PeerAddress p) {
        return peer.get("hostname").equals(Optional.of(new JsonString(p.hostname())))
                && peer.get("port").map(JsonValue::toJson).map(s -> s.replace("\"", "")).equals(Optional.of(Integer.toString(p.port())));
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    public Map<String, JsonValue> stats() {
        return ask("stats").members();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
