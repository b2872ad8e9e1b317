package org.clatter.clacks.interop;

import static org.clatter.clacks.interop.NodeClacks.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clatter.clacks.ClacksNode;
import org.clatter.clacks.ClacksOptions;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.PeerStatus;
import org.clatter.clacks.TestCerts;
import org.clatter.clacks.json.JsonArray;
import org.clatter.clacks.json.JsonNumber;
import org.clatter.clacks.json.JsonObject;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;
import org.junit.jupiter.api.Test;

/**
 * Clatter against the real clacks-p2p 0.3.3 (npm) under Node: install it with
 * {@code npm ci --prefix conformance/clacks-interop}. These tests fail, not skip, when it is missing.
 */
class ClacksInteropTest {

    static ClacksNode java(List<JsonValue> received) {
        TestCerts.Files2 c = TestCerts.get();
        ClacksNode n = ClacksNode.create(ClacksOptions.builder().hostname("127.0.0.1").port(0).tls(c.cert(), c.key())
                .trust(c.cert()).sendrate(20).requestTimeout(Duration.ofSeconds(3)).build());
        n.onMessageReceived((from, p) -> {
            received.add(p.message());
            return Optional.of(p.message());
        });
        return n.start();
    }

    static boolean received(JsonObject e, JsonValue message) {
        return is(e, "received") && e.get("message").equals(Optional.of(message));
    }

    @Test
    void javaToNodeWithTheExactWireFormat() {
        List<JsonValue> atJava = new CopyOnWriteArrayList<>();
        try (NodeClacks node = NodeClacks.start(20, false); ClacksNode j = java(atJava)) {
            j.addPeer(node.address);
            JsonValue structured = new JsonObject(java.util.Map.of("k", new JsonArray(List.of(JsonNumber.of(1), new JsonString("caf\u00e9 \u2603 \uD83D\uDE00")))));
            j.enqueue("from java");
            j.enqueue(structured);
            JsonObject got = node.await(8000, e -> received(e, new JsonString("from java")))
                    .orElseThrow(() -> new AssertionError("clacks-p2p did not receive; " + node.stderr() + j.counters()));
            JsonObject sender = (JsonObject) got.get("sender").orElseThrow();
            assertEquals(Optional.of(new JsonString("127.0.0.1")), sender.get("hostname"));
            assertEquals(Optional.of(JsonNumber.of(j.self().port())), sender.get("port"));
            assertTrue(node.await(8000, e -> received(e, structured)).isPresent(), "non-ASCII survives a Java->Node hop (escaped)");
            JsonObject wire = node.await(1000, e -> is(e, "wire")).orElseThrow();
            assertEquals(Optional.of(new JsonString("POST")), wire.get("method"));
            assertEquals(Optional.of(new JsonString("/")), wire.get("url"));
            JsonObject headers = (JsonObject) wire.get("headers").orElseThrow();
            assertEquals(Optional.of(new JsonString("application/json")), headers.get("content-type"));
            JsonObject payload = (JsonObject) wire.get("payload").orElseThrow();
            assertEquals(List.of("message", "type", "sender"), List.copyOf(payload.members().keySet()).subList(0, 3),
                    "clacks-p2p's key order; extra keys (the clatter envelope) are ignored by it");
            assertTrue(node.await(3000, e -> is(e, "peerDiscovered")
                    && NodeClacks.peerIs((JsonObject) e.get("peer").orElseThrow(), j.self())).isPresent(),
                    "clacks-p2p registered the Java node from its sender field");
            assertTrue(TestCerts.eventually(3000, () -> j.peer(node.address).map(p -> p.status() == PeerStatus.ALIVE).orElse(false)),
                    "200 from clacks-p2p makes it alive");
        }
    }

    @Test
    void nodeToJavaAndPeerDiscoveryThroughFriendFieldsBothWays() {
        List<JsonValue> atJava = new CopyOnWriteArrayList<>();
        try (NodeClacks n1 = NodeClacks.start(20, false); NodeClacks n2 = NodeClacks.start(20, false); ClacksNode j = java(atJava)) {
            // J <-> N1 <-> N2: J and N2 only know N1.
            j.addPeer(n1.address);
            n1.addPeer(j.self());
            n1.addPeer(n2.address);
            n2.addPeer(n1.address);
            n1.enqueue(new JsonString("from node"));
            assertTrue(TestCerts.eventually(8000, () -> atJava.contains(new JsonString("from node"))),
                    "Java received from clacks-p2p: " + j.counters() + n1.stderr());
            for (int i = 0; i < 10; i++) {
                j.enqueue("j" + i);
                n1.enqueue(new JsonString("a" + i));
                n2.enqueue(new JsonString("b" + i));
            }
            assertTrue(TestCerts.eventually(15_000, () -> j.peer(n2.address).isPresent()),
                    "Java learned N2 from a clacks-p2p friend field: " + j.peers());
            assertTrue(n2.await(15_000, e -> is(e, "peerDiscovered")
                    && NodeClacks.peerIs((JsonObject) e.get("peer").orElseThrow(), j.self())).isPresent(),
                    "N2 learned the Java node (from a friend field): " + n2.stderr());
            assertTrue(TestCerts.eventually(10_000, () -> atJava.stream().anyMatch(v -> v instanceof JsonString s && s.value().startsWith("b"))),
                    "messages from N2 reached Java");
        }
    }

    @Test
    void announceBothWays() {
        List<JsonValue> atJava = new CopyOnWriteArrayList<>();
        try (NodeClacks node = NodeClacks.start(20, false); ClacksNode j = java(atJava)) {
            j.announce(node.address);
            assertTrue(node.await(5000, e -> is(e, "peerDiscovered")
                    && NodeClacks.peerIs((JsonObject) e.get("peer").orElseThrow(), j.self())).isPresent());
            assertTrue(TestCerts.eventually(5000, () -> j.peer(node.address).isPresent()), "on 200 the target becomes a peer");
            try (NodeClacks other = NodeClacks.start(20, false)) {
                other.announce(j.self());
                assertTrue(TestCerts.eventually(5000, () -> j.peer(other.address).isPresent()), "Java registered the announcer");
                assertTrue(other.await(5000, e -> is(e, "peerDiscovered")
                        && NodeClacks.peerIs((JsonObject) e.get("peer").orElseThrow(), j.self())).isPresent(),
                        "clacks-p2p added Java after its announce got 200");
            }
        }
    }

    @Test
    void ignoreBothWays() {
        List<JsonValue> atJava = new CopyOnWriteArrayList<>();
        try (NodeClacks node = NodeClacks.start(20, false); ClacksNode j = java(atJava)) {
            j.ignore(node.address);
            node.addPeer(j.self());
            node.enqueue(new JsonString("ignored?"));
            assertTrue(node.await(8000, e -> is(e, "peerUpdated")
                    && NodeClacks.peerIs((JsonObject) e.get("peer").orElseThrow(), j.self())
                    && ((JsonObject) e.get("peer").orElseThrow()).get("status").equals(Optional.of(new JsonString("lost")))).isPresent(),
                    "clacks-p2p saw our 403 as a failure");
            assertTrue(node.await(3000, e -> is(e, "queued") && e.get("message").equals(Optional.of(new JsonString("ignored?")))).isPresent(),
                    "and re-queued the message");
            assertTrue(atJava.isEmpty(), "nothing was accepted from the ignored peer");
            assertTrue(j.counters().getOrDefault("requests.ignored", 0L) >= 1);

            // clacks-p2p ignoring us: its 403 makes Java mark it lost and keep the message
            try (NodeClacks other = NodeClacks.start(20, false)) {
                other.ignore(j.self());
                j.addPeer(other.address);
                j.enqueue("to an ignoring node");
                assertTrue(TestCerts.eventually(8000, () -> j.counters().getOrDefault("send.rejected.403", 0L) >= 1),
                        "403 from clacks-p2p: " + j.counters());
                assertEquals(PeerStatus.LOST, j.peer(other.address).orElseThrow().status());
                assertTrue(other.events().stream().noneMatch(e -> is(e, "received")));
            }
        }
    }

    @Test
    void knownIncompatibilityNonAsciiFromNodeHasAShortContentLength() {
        // spec section 1 and 11.5: clacks-p2p declares the UTF-16 length, so the Java server reads a truncated
        // body. We answer 400 (so clacks-p2p retries, as it would for any failure) and count it; never crash.
        List<JsonValue> atJava = new CopyOnWriteArrayList<>();
        try (NodeClacks node = NodeClacks.start(20, false); ClacksNode j = java(atJava)) {
            node.addPeer(j.self());
            node.enqueue(new JsonString("h\u00e9llo"));
            assertTrue(TestCerts.eventually(8000, () -> j.counters().keySet().stream().anyMatch(k -> k.startsWith("requests.bad_json"))),
                    "truncated body detected: " + j.counters());
            assertTrue(atJava.isEmpty());
            node.enqueue(new JsonString("plain ascii"));
            assertTrue(TestCerts.eventually(8000, () -> atJava.contains(new JsonString("plain ascii"))), "the node keeps working");
        }
    }
}
