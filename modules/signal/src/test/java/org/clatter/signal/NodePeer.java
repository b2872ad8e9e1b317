package org.clatter.signal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The real DXOS client ({@code @dxos/messaging} 0.8.3) in a Node process running
 * {@code conformance/signal-interop/driver.mjs}: JSON commands in, JSON events out. Fails (never skips) when Node
 * or the package is missing.
 */
final class NodePeer implements AutoCloseable {
    static final String INSTALL = "npm ci --prefix conformance/signal-interop";

    private final Process process;
    private final Writer stdin;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final String name;

    NodePeer(String name, URI url) throws IOException {
        this.name = name;
        Path dir = TestEnv.root().resolve("conformance/signal-interop");
        if (!Files.isDirectory(dir.resolve("node_modules/@dxos/messaging"))) {
            fail("@dxos/messaging is not installed in " + dir + "; run `" + INSTALL + "` (Node 20) first");
        }
        ProcessBuilder pb = new ProcessBuilder("node", "driver.mjs", url.toString()).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run `node` (" + e.getMessage() + "); install Node 20 and run `"
                    + INSTALL + "`", e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    events.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        await(e -> e.contains("\"ev\":\"ready\""), 15_000, "client open");
    }

    void command(String json) throws IOException {
        stdin.write(json + "\n");
        stdin.flush();
    }

    void join(String topic, String peer) throws IOException {
        command("{\"cmd\":\"join\",\"topic\":\"" + topic + "\",\"peer\":\"" + peer + "\"}");
    }

    void leave(String topic, String peer) throws IOException {
        command("{\"cmd\":\"leave\",\"topic\":\"" + topic + "\",\"peer\":\"" + peer + "\"}");
    }

    void subscribe(String peer) throws IOException {
        command("{\"cmd\":\"subscribe\",\"peer\":\"" + peer + "\"}");
    }

    void send(String from, String to, String dataHex) throws IOException {
        command("{\"cmd\":\"send\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"data\":\"" + dataHex + "\"}");
    }

    boolean saw(Predicate<String> p) {
        return events.stream().anyMatch(p);
    }

    long count(Predicate<String> p) {
        return events.stream().filter(p).count();
    }

    String await(Predicate<String> p, long millis, String what) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            for (String e : events) {
                if (p.test(e)) {
                    return e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError(name + ": no '" + what + "' within " + millis + " ms; events: " + events);
    }

    static Predicate<String> available(String peer) {
        return e -> e.contains("\"ev\":\"available\"") && e.contains(peer);
    }

    static Predicate<String> left(String peer) {
        return e -> e.contains("\"ev\":\"left\"") && e.contains(peer);
    }

    static Predicate<String> message(String from, String data) {
        return e -> e.contains("\"ev\":\"message\"") && e.contains("\"from\":\"" + from + "\"")
                && e.contains("\"data\":\"" + data + "\"");
    }

    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        try {
            command("{\"cmd\":\"close\"}");
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
