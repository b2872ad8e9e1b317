package org.clatter.clacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clatter.clacks.internal.Tls;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;
import org.junit.jupiter.api.Test;

class ClacksNodeHttpsTest {

    static ClacksOptions.Builder opts() {
        TestCerts.Files2 c = TestCerts.get();
        return ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(c.cert(), c.key()).trust(c.cert()).sendrate(50)
                .requestTimeout(Duration.ofSeconds(2));
    }

    @Test
    void twoNodesGossipAndLearnPeersThroughFriendFields() {
        try (ClacksNode a = ClacksNode.create(opts().build()).start();
             ClacksNode b = ClacksNode.create(opts().build()).start();
             ClacksNode c = ClacksNode.create(opts().build()).start()) {
            List<JsonValue> atB = new CopyOnWriteArrayList<>();
            List<JsonValue> atC = new CopyOnWriteArrayList<>();
            b.onMessageReceived((from, p) -> {
                atB.add(p.message());
                return Optional.of(p.message());
            });
            c.onMessageReceived((from, p) -> {
                atC.add(p.message());
                return Optional.of(p.message());
            });
            assertEquals("127.0.0.1", a.boundAddress().orElseThrow().getAddress().getHostAddress(), "binds the configured address only");
            a.addPeer(b.self());
            a.enqueue("hello from a");
            assertTrue(TestCerts.eventually(5000, () -> atB.contains(new JsonString("hello from a"))));
            assertTrue(TestCerts.eventually(3000, () -> b.peer(a.self()).isPresent()), "b learned a from the sender field");
            c.announce(a.self());
            assertTrue(TestCerts.eventually(3000, () -> c.peer(a.self()).isPresent()), "a successful announce adds the target");
            // keep traffic flowing so friend fields circulate
            for (int i = 0; i < 20; i++) {
                a.enqueue("m" + i);
                b.enqueue("n" + i);
            }
            assertTrue(TestCerts.eventually(8000, () -> b.peer(c.self()).isPresent() && c.peer(b.self()).isPresent()),
                    "b and c learn each other through friend fields: " + b.peers() + " / " + c.peers());
            assertTrue(a.counters().getOrDefault("send.ok", 0L) > 0);
        }
    }

    @Test
    void badRequestsGetClearStatusesAndTheNodeSurvives() throws Exception {
        try (ClacksNode n = ClacksNode.create(opts().maxBodyBytes(1024).build()).start()) {
            n.enqueue("kept");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(Tls.clientContext(Optional.of(TestCerts.get().cert()))).build();
            URI uri = URI.create("https://127.0.0.1:" + n.self().port() + "/");
            record Case(String method, String body, int status) {
            }
            for (Case k : List.of(new Case("POST", "{\"message\":\"ok\",\"type\":\"message\",\"sender\":{\"hostname\":\"127.0.0.1\",\"port\":1}}", 200),
                    new Case("POST", "{not json", 400), new Case("POST", "{\"message\":1}", 400),
                    new Case("GET", "", 405), new Case("PUT", "{}", 405), new Case("POST", "x".repeat(5000), 413),
                    new Case("POST", "[".repeat(900), 400),
                    new Case("POST", "{\"message\":\"ok\",\"type\":\"message\",\"sender\":{\"hostname\":\"127.0.0.1\",\"port\":1}}", 200))) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).method(k.method(),
                        HttpRequest.BodyPublishers.ofString(k.body())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(k.status(), r.statusCode(), k.method() + " " + k.body().substring(0, Math.min(30, k.body().length())));
            }
            assertEquals(3, n.queueSize() + n.inFlight(), "the kept message and the two accepted ones");
            long t0 = System.nanoTime();
            n.close();
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "close is prompt");
        }
    }

    @Test
    void arbitraryAndMutatedBodiesOverHttpsGetClearStatuses() throws Exception {
        try (ClacksNode n = ClacksNode.create(opts().maxBodyBytes(2048).build()).start()) {
            for (int i = 0; i < 5; i++) {
                n.enqueue("kept" + i);
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(Tls.clientContext(Optional.of(TestCerts.get().cert()))).build();
            URI uri = URI.create("https://127.0.0.1:" + n.self().port() + "/");
            byte[] valid = "{\"message\":{\"a\":[1,\"\\u00e9\"]},\"type\":\"message\",\"sender\":{\"hostname\":\"127.0.0.1\",\"port\":1}}"
                    .getBytes(StandardCharsets.US_ASCII);
            java.util.Set<Integer> allowed = java.util.Set.of(200, 400, 403, 413, 503);
            org.quicktheories.QuickTheory.qt().withExamples(60).forAll(
                    org.quicktheories.generators.SourceDSL.integers().all(),
                    org.quicktheories.generators.SourceDSL.integers().between(0, 3000)).checkAssert((seed, len) -> {
                java.util.Random r = new java.util.Random(seed);
                byte[] body;
                if (r.nextBoolean()) {
                    body = new byte[len];
                    r.nextBytes(body);
                } else {
                    body = valid.clone();
                    for (int k = 1 + r.nextInt(4); k > 0; k--) {
                        body[r.nextInt(body.length)] = (byte) r.nextInt(256);
                    }
                }
                int before = n.queueSize() + n.inFlight();
                try {
                    int status = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    assertTrue(allowed.contains(status), "status " + status + ", seed " + seed);
                } catch (java.io.IOException e) {
                    throw new AssertionError("the node dropped the connection; seed " + seed, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertTrue(n.queueSize() + n.inFlight() >= before, "nothing queued is lost; seed " + seed);
            });
            assertTrue(n.counters().keySet().stream().anyMatch(k -> k.startsWith("requests.bad_json")));
        }
    }

    @Test
    void aPeerThatNeverAnswersTimesOutAndNothingIsLost() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ClacksNode n = ClacksNode.create(opts().requestTimeout(Duration.ofMillis(500)).build()).start()) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
            PeerAddress p = new PeerAddress("127.0.0.1", silent.getLocalPort());
            n.addPeer(p);
            for (int i = 0; i < 5; i++) {
                n.enqueue("m" + i);
            }
            assertTrue(TestCerts.eventually(4000, () -> n.peer(p).orElseThrow().status() == PeerStatus.LOST));
            assertTrue(TestCerts.eventually(4000, () -> n.counters().getOrDefault("send.timeout", 0L) >= 1));
            assertEquals(5, n.queueSize() + n.inFlight(), "every message is queued or in flight, none in limbo");
            assertTrue(n.inFlight() <= 1, "a lost peer gets one request at a time, not one per message: " + n.inFlight());
            acceptor.interrupt();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void badTlsFilesGiveMessagesThatSayWhatToDo() throws Exception {
        java.nio.file.Path bad = java.nio.file.Files.createTempFile("bad", ".pem");
        java.nio.file.Files.writeString(bad, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(ClacksException.class,
                () -> ClacksNode.create(opts().tls(TestCerts.get().cert(), bad).build()).start());
        assertTrue(e.getMessage().contains("PKCS#8"), e.getMessage());
        java.nio.file.Files.delete(bad);
        var e2 = org.junit.jupiter.api.Assertions.assertThrows(ClacksException.class,
                () -> PeerAddress.parse("nocolon"));
        assertTrue(e2.getMessage().contains("HOST:PORT"));
        assertTrue(new String(Tls.pem(Tls.certificates(TestCerts.get().cert()).get(0)).getBytes(StandardCharsets.US_ASCII),
                StandardCharsets.US_ASCII).startsWith("-----BEGIN CERTIFICATE-----"));
    }
}
