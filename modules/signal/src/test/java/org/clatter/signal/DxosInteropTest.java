package org.clatter.signal;

import static org.clatter.signal.NodePeer.available;
import static org.clatter.signal.NodePeer.left;
import static org.clatter.signal.NodePeer.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real DXOS client, {@code @dxos/messaging} 0.8.3 under Node, against the Java server (spec §6). Needs
 * {@code npm ci --prefix conformance/signal-interop}; fails with that instruction when it is missing.
 */
@Tag("interop")
class DxosInteropTest {
    static final String SWARM = "ab".repeat(32);
    static final String A = "a1".repeat(32);
    static final String B = "b2".repeat(32);

    private static SignalServer server(Duration grace) {
        return SignalServer.start(SignalServerConfig.defaults()
                .withTimers(Duration.ofSeconds(600), Duration.ofSeconds(200), grace));
    }

    @Test
    void twoPeersSeeEachOtherExchangeMessagesAndSeeTheLeave() throws Exception {
        try (SignalServer s = server(Duration.ofSeconds(5));
             NodePeer a = new NodePeer("A", s.url());
             NodePeer b = new NodePeer("B", s.url())) {
            a.subscribe(A);
            a.join(SWARM, A);
            b.subscribe(B);
            b.join(SWARM, B);
            a.await(available(B), 10_000, "B available");
            b.await(available(A), 10_000, "A available");
            String untilSeen = b.await(available(A), 1, "A available");
            assertTrue(untilSeen.matches(".*\"until\":\\d+.*"), "PeerAvailable carries until: " + untilSeen);

            a.send(A, B, "c0ffee");
            b.await(message(A, "c0ffee"), 10_000, "message from A");
            b.send(B, A, "beef01");
            a.await(message(B, "beef01"), 10_000, "message from B");

            a.leave(SWARM, A);
            b.await(left(A), 5_000, "A left");
            assertFalse(a.saw(left(B)), "the one who left is not told the others left");
            assertEquals(2, s.metrics().messagesRelayed());
        }
    }

    @Test
    void aDropWithinTheGracePeriodIsNotADeparture() throws Exception {
        try (SignalServer s = server(Duration.ofSeconds(3));
             NodePeer a = new NodePeer("A", s.url());
             NodePeer b = new NodePeer("B", s.url())) {
            a.subscribe(A);
            a.join(SWARM, A);
            b.subscribe(B);
            b.join(SWARM, B);
            a.await(available(B), 10_000, "B available");
            b.await(available(A), 10_000, "A available");
            long connectionsBefore = s.metrics().connectionsTotal();

            s.dropAllConnections();
            long deadline = System.currentTimeMillis() + 10_000;
            while (s.metrics().connectionsTotal() < connectionsBefore + 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(connectionsBefore + 2, s.metrics().connectionsTotal(), "both clients reconnected");
            Thread.sleep(4_000);
            assertFalse(b.saw(left(A)), "A came back within the grace period and must not be reported gone");
            assertFalse(a.saw(left(B)), "B came back within the grace period and must not be reported gone");

            a.send(A, B, "aa55");
            b.await(message(A, "aa55"), 10_000, "message after the reconnect");
        }
    }

    /** Messenger's ReliablePayload/Acknowledgement round trip completes across a server-side drop. */
    @Test
    void reliableMessagesSurviveAReconnect() throws Exception {
        try (SignalServer s = server(Duration.ofSeconds(5));
             NodePeer a = new NodePeer("A", s.url());
             NodePeer b = new NodePeer("B", s.url())) {
            a.command("{\"cmd\":\"mlisten\",\"peer\":\"" + A + "\"}");
            b.command("{\"cmd\":\"mlisten\",\"peer\":\"" + B + "\"}");
            a.join(SWARM, A);
            b.join(SWARM, B);
            a.await(available(B), 10_000, "B available");
            b.await(available(A), 10_000, "A available");
            s.dropAllConnections();
            a.command("{\"cmd\":\"msend\",\"from\":\"" + A + "\",\"to\":\"" + B + "\",\"data\":\"0d0e\"}");
            b.await(e -> e.contains("\"ev\":\"reliable\"") && e.contains("0d0e"), 10_000, "reliable payload");
            a.await(e -> e.contains("\"ev\":\"acked\"") && e.contains("0d0e"), 10_000, "acknowledgement");
            Thread.sleep(1500);
            assertEquals(1, b.count(e -> e.contains("\"ev\":\"reliable\"")), "de-duplicated by message id");
            assertFalse(b.saw(left(A)));
        }
    }

    @Test
    void aClientThatNeverComesBackLeavesAfterTheGracePeriod() throws Exception {
        try (SignalServer s = server(Duration.ofMillis(1500));
             NodePeer a = new NodePeer("A", s.url());
             NodePeer b = new NodePeer("B", s.url())) {
            a.join(SWARM, A);
            b.join(SWARM, B);
            b.await(available(A), 10_000, "A available");
            long killedAt = System.currentTimeMillis();
            a.kill();
            b.await(left(A), 10_000, "A left after the grace period");
            assertTrue(System.currentTimeMillis() - killedAt >= 1400, "not before the grace period");
        }
    }
}
