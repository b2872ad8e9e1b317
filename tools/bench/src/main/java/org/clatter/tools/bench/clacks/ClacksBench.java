package org.clatter.tools.bench.clacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.clatter.clacks.ClacksNode;
import org.clatter.clacks.ClacksOptions;
import org.clatter.clacks.EnqueueResult;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.json.JsonLimits;
import org.clatter.clacks.json.JsonObject;
import org.clatter.clacks.json.JsonReader;
import org.clatter.clacks.json.JsonResult;
import org.clatter.clacks.json.JsonValue;

/**
 * Clacks load harness (spec section 10 describes the clacks-p2p figures it is compared with). In one run, on
 * 127.0.0.1:
 * <ol>
 *   <li><b>send</b>: a node with a backlog of messages sending to an HTTPS sink (a Clatter node that accepts
 *       and drops), Clatter at sendrate 1000 (clacks-p2p's practical ceiling) and unthrottled, clacks-p2p at 1000;
 *       the sink's count of distinct messages checks the result;</li>
 *   <li><b>receive</b>: the same HTTP/1.1 load generator (16 keep-alive connections) posting valid message bodies
 *       to each node for a fixed time; 200 answers per second;</li>
 *   <li><b>memory</b>: heap per queued ~40-byte message (100 000 queued, after GC), Clatter JVM heap vs Node's
 *       V8 heap ({@code node --expose-gc}).</li>
 * </ol>
 * Needs Node 20 and {@code npm ci --prefix conformance/clacks-interop}. Run from the repository root:
 * {@code java -cp tools/bench/target/clatter-benchmarks.jar org.clatter.tools.bench.clacks.ClacksBench [messages]}.
 */
public final class ClacksBench {
    private static final JsonLimits LIMITS = new JsonLimits(1 << 20, 16, 1 << 20, 1 << 12, 64);

    private ClacksBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path interop = findInterop();
        Path dir = Files.createTempDirectory("clacks-bench");
        Path[] certs = makeCertificate(dir);
        Path cert = certs[0];
        Path key = certs[1];

        System.out.printf("clacks bench: %d messages, %d cores%n", messages, Runtime.getRuntime().availableProcessors());

        // ---- send
        AtomicLong sunk = new AtomicLong();
        java.util.Set<String> distinct = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (ClacksNode sink = ClacksNode.create(base(cert, key).sendrate(1).maxQueue(10).build())) {
            sink.onMessageReceived((from, p) -> {
                sunk.incrementAndGet();
                distinct.add(from.address().port() + "/" + p.message().toJson());
                return Optional.empty();
            });
            sink.start();
            double clatter1000 = clatterSend(cert, key, sink, messages, 1000, distinct);
            double clatterMax = clatterSend(cert, key, sink, messages, 100_000, distinct);
            double node1000;
            try (NodeProc n = NodeProc.start(interop, cert, key, 1000, false)) {
                n.command("{\"cmd\":\"addPeer\",\"hostname\":\"127.0.0.1\",\"port\":" + sink.self().port() + "}");
                long before = countFrom(distinct, n.port);
                long t0 = System.nanoTime();
                n.command("{\"cmd\":\"enqueueMany\",\"count\":" + messages + ",\"prefix\":\"node-" + "x".repeat(30) + "\"}");
                long deadline = t0 + 120_000_000_000L;
                while (countFrom(distinct, n.port) - before < messages && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long got = countFrom(distinct, n.port) - before;
                node1000 = got / ((System.nanoTime() - t0) / 1e9);
                check(got == messages, "clacks-p2p delivered " + got + " of " + messages);
            }
            System.out.printf("send   clatter sendrate 1000: %8.0f msg/s   clacks-p2p sendrate 1000: %8.0f msg/s   ratio %.2f%n",
                    clatter1000, node1000, clatter1000 / node1000);
            System.out.printf("send   clatter unthrottled:   %8.0f msg/s   ratio to clacks-p2p %.2f%n", clatterMax, clatterMax / node1000);
        }

        // ---- receive
        double clatterRx;
        double nodeRx;
        try (ClacksNode rx = ClacksNode.create(base(cert, key).sendrate(1).build())) {
            AtomicLong n = new AtomicLong();
            rx.onMessageReceived((from, p) -> {
                n.incrementAndGet();
                return Optional.empty();
            });
            rx.start();
            clatterRx = load(cert, rx.self().port(), 5);
            check(n.get() > 0, "the Clatter node received nothing");
        }
        try (NodeProc node = NodeProc.start(interop, cert, key, 1, true)) {
            nodeRx = load(cert, node.port, 5);
            check(node.stat("received") > 0, "clacks-p2p received nothing");
        }
        System.out.printf("recv   clatter: %8.0f msg/s   clacks-p2p: %8.0f msg/s   ratio %.2f%n", clatterRx, nodeRx, clatterRx / nodeRx);

        // ---- memory per queued message
        int q = 100_000;
        double clatterBytes;
        try (ClacksNode idle = ClacksNode.create(base(cert, key).maxQueue(q + 10).build())) {
            long before = heapAfterGc();
            for (int i = 0; i < q; i++) {
                check(idle.enqueue(String.format("message %06d %s", i, "x".repeat(24))) == EnqueueResult.QUEUED, "enqueue");
            }
            long after = heapAfterGc();
            check(idle.queueSize() == q, "queue size");
            clatterBytes = (after - before) / (double) q;
        }
        double nodeBytes;
        try (NodeProc node = NodeProc.start(interop, cert, key, 1, true)) {
            long before = node.heap();
            node.command("{\"cmd\":\"enqueueMany\",\"count\":" + q + ",\"prefix\":\"message " + "x".repeat(24) + " \"}");
            long after;
            while (true) {
                JsonObject s = node.ask("{\"cmd\":\"stats\",\"gc\":true");
                if (num(s, "queue") >= q) {
                    after = num(s, "heapUsed");
                    break;
                }
                Thread.sleep(50);
            }
            nodeBytes = (after - before) / (double) q;
        }
        System.out.printf("memory clatter: %6.0f B/queued msg (JVM heap)   clacks-p2p: %6.0f B/queued msg (V8 heap)   ratio %.2f%n",
                clatterBytes, nodeBytes, clatterBytes / nodeBytes);
    }

    static ClacksOptions.Builder base(Path cert, Path key) {
        return ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(cert, key).trust(cert).hopLimit(16)
                .requestTimeout(Duration.ofSeconds(10)).maxQueue(1_000_000);
    }

    static long countFrom(java.util.Set<String> distinct, int port) {
        String prefix = port + "/";
        return distinct.stream().filter(s -> s.startsWith(prefix)).count();
    }

    static double clatterSend(Path cert, Path key, ClacksNode sink, int messages, double sendrate, java.util.Set<String> distinct)
            throws InterruptedException {
        try (ClacksNode s = ClacksNode.create(base(cert, key).sendrate(sendrate).maxInFlight(64).maxInFlightPerPeer(64).build())) {
            s.start();
            // warm the connection and the JIT a little
            s.addPeer(sink.self());
            for (int i = 0; i < messages; i++) {
                s.enqueue(String.format("clatter %06d %s", i, "x".repeat(24)));
            }
            long t0 = System.nanoTime();
            long deadline = t0 + 120_000_000_000L;
            int port = s.self().port();
            while (countFrom(distinct, port) < messages && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long got = countFrom(distinct, port);
            check(got == messages, "Clatter delivered " + got + " of " + messages + ": " + s.counters());
            return got / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Posts valid message bodies over 16 keep-alive HTTP/1.1 connections for {@code seconds}; 200s per second. */
    static double load(Path cert, int port, int seconds) throws Exception {
        SSLContext ssl = trusting(cert);
        int conns = 16;
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(conns);
        URI uri = URI.create("https://127.0.0.1:" + port + "/");
        for (int c = 0; c < conns; c++) {
            int id = c;
            pool.submit(() -> {
                try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build()) {
                    long i = 0;
                    while (System.nanoTime() < end) {
                        String body = "{\"message\":\"load " + id + " " + i++ + " xxxxxxxxxxxxxxxxxxxxxxxx\",\"type\":\"message\","
                                + "\"sender\":{\"hostname\":\"127.0.0.1\",\"port\":" + (20000 + id) + "}}";
                        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        (r.statusCode() == 200 ? ok : bad).incrementAndGet();
                    }
                } catch (Exception e) {
                    bad.incrementAndGet();
                }
                return null;
            });
        }
        long t0 = System.nanoTime();
        pool.shutdown();
        pool.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
        double rate = ok.get() / ((System.nanoTime() - t0) / 1e9);
        check(ok.get() > 0, "no request succeeded (" + bad.get() + " failed)");
        return rate;
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark result is wrong: " + what);
        }
    }

    static long num(JsonObject o, String key) {
        return ((org.clatter.clacks.json.JsonNumber) o.get(key).orElseThrow()).decimalValue().longValue();
    }

    static Path findInterop() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("conformance/clacks-interop/node_modules/clacks-p2p/package.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("clacks-p2p is not installed: run npm ci --prefix conformance/clacks-interop "
                    + "from the repository root, and run this from inside the repository");
        }
        return dir.resolve("conformance/clacks-interop");
    }

    static SSLContext trusting(Path cert) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ts.setCertificateEntry("c", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** keytool (from the JDK) makes an EC certificate for 127.0.0.1; exported here as PEM certificate and PKCS#8 key. */
    static Path[] makeCertificate(Path dir) throws Exception {
        Path ks = dir.resolve("ks.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "c", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        check(p.waitFor() == 0, "keytool failed");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        X509Certificate c = (X509Certificate) store.getCertificate("c");
        PrivateKey k = (PrivateKey) store.getKey("c", "changeit".toCharArray());
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, key};
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One clacks-p2p node run by {@code conformance/clacks-interop/driver.js}. */
    static final class NodeProc implements AutoCloseable {
        final Process process;
        final int port;
        final OutputStream stdin;
        final BlockingQueue<JsonObject> replies = new ArrayBlockingQueue<>(1024);

        NodeProc(Process process, int port) {
            this.process = process;
            this.port = port;
            this.stdin = process.getOutputStream();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (JsonReader.parse(line, LIMITS) instanceof JsonResult.Ok ok && ok.value() instanceof JsonObject o
                                && o.get("event").map(JsonValue::toJson).orElse("").matches("\"(reply|ready|error)\"")) {
                            replies.offer(o);
                        }
                    }
                } catch (IOException ignored) {
                    // ended
                }
            });
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    process.getErrorStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // ended
                }
            });
        }

        static NodeProc start(Path interop, Path cert, Path key, int sendrate, boolean quiet) throws Exception {
            int port = freePort();
            String opts = "{\"hostname\":\"127.0.0.1\",\"port\":" + port + ",\"sendrate\":" + sendrate + ",\"key\":\"" + key
                    + "\",\"cert\":\"" + cert + "\",\"quiet\":true}";
            ProcessBuilder pb = new ProcessBuilder("node", "--expose-gc", interop.resolve("driver.js").toString(), opts)
                    .directory(interop.toFile());
            pb.environment().put("NODE_EXTRA_CA_CERTS", cert.toString());
            NodeProc n = new NodeProc(pb.start(), port);
            JsonObject first = n.replies.poll(10, TimeUnit.SECONDS);
            check(first != null && first.get("event").map(JsonValue::toJson).orElse("").equals("\"ready\""), "clacks-p2p did not start");
            Thread.sleep(300);
            return n;
        }

        void command(String json) throws IOException {
            stdin.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        JsonObject ask(String jsonWithoutClosingBrace) throws Exception {
            String id = "\"q" + System.nanoTime() + "\"";
            command(jsonWithoutClosingBrace + ",\"id\":" + id + "}");
            long end = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < end) {
                JsonObject r = replies.poll(100, TimeUnit.MILLISECONDS);
                if (r != null && r.get("id").map(JsonValue::toJson).orElse("").equals(id)) {
                    return r;
                }
            }
            throw new IllegalStateException("benchmark result is wrong: no reply from clacks-p2p");
        }

        long stat(String name) throws Exception {
            JsonObject s = ask("{\"cmd\":\"stats\"");
            return num((JsonObject) s.get("stats").orElseThrow(), name);
        }

        long heap() throws Exception {
            return num(ask("{\"cmd\":\"stats\",\"gc\":true"), "heapUsed");
        }

        @Override
        public void close() throws Exception {
            stdin.close();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
