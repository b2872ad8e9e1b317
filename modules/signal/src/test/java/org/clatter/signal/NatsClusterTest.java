package org.clatter.signal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;

import org.clatter.signal.codec.Any;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two and three signal servers clustered over a real nats-server on loopback (spec §4). */
@Tag("interop")
class NatsClusterTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SWARM = key(0x5a);
    private static final byte[] A = key(0xa1);
    private static final byte[] B = key(0xb2);
    private static final byte[] C = key(0xc3);

    static byte[] key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    private static SignalServer server(NatsServerProcess nats) {
        return SignalServer.start(SignalServerConfig.defaults().withNats(nats.url())
                .withTimers(Duration.ofMillis(4000), Duration.ofMillis(1000), Duration.ofMillis(1000)));
    }

    private static SignalClient client(SignalServer s, RecordingListener l, byte[] peer) {
        SignalClient c = SignalClient.connect(s.url(), l);
        c.subscribeMessages(peer);
        c.join(SWARM, peer);
        return c;
    }

    @Test
    void peersOnTwoServersFindEachOtherAndExchangeMessages() throws Exception {
        try (NatsServerProcess nats = new NatsServerProcess();
             SignalServer s1 = server(nats);
             SignalServer s2 = server(nats)) {
            RecordingListener la = new RecordingListener();
            RecordingListener lb = new RecordingListener();
            try (SignalClient a = client(s1, la, A)) {
                la.await("available:" + HEX.formatHex(A), 5000);
                try (SignalClient b = client(s2, lb, B)) {
                    lb.await("available:" + HEX.formatHex(A), 5000);
                    la.await("available:" + HEX.formatHex(B), 5000);
                    a.sendMessage(A, B, new Any("t", new byte[] {1, 2})).get();
                    lb.await("msg:" + HEX.formatHex(A) + ":0102", 5000);
                    b.sendMessage(B, A, new Any("t", new byte[] {3})).get();
                    la.await("msg:" + HEX.formatHex(B) + ":03", 5000);
                    b.leave(SWARM, B);
                    la.await("left:" + HEX.formatHex(B), 5000);
                }
            }
        }
    }

    @Test
    void stoppingOrLosingAServerRemovesItsPeersFromEveryonesView() throws Exception {
        try (NatsServerProcess nats = new NatsServerProcess();
             SignalServer s1 = server(nats)) {
            SignalServer s2 = server(nats);
            SignalServer s3 = server(nats);
            RecordingListener la = new RecordingListener();
            RecordingListener lb = new RecordingListener();
            RecordingListener lc = new RecordingListener();
            try (SignalClient a = client(s1, la, A);
                 SignalClient b = client(s2, lb, B);
                 SignalClient c = client(s3, lc, C)) {
                for (RecordingListener l : new RecordingListener[] {la, lb, lc}) {
                    for (byte[] p : new byte[][] {A, B, C}) {
                        l.await("available:" + HEX.formatHex(p), 5000);
                    }
                }
                c.sendMessage(C, A, new Any("t", new byte[] {9})).get();
                la.await("msg:" + HEX.formatHex(C) + ":09", 5000);

                // Re-announcements keep remote peers alive past the 4 s TTL.
                Thread.sleep(5000);
                assertFalse(la.saw("left:" + HEX.formatHex(B)), "re-announced peers must not expire");

                long closedAt = System.currentTimeMillis();
                s3.close();
                la.await("left:" + HEX.formatHex(C), 5000);
                lb.await("left:" + HEX.formatHex(C), 5000);
                assertTrue(System.currentTimeMillis() - closedAt < 2500,
                        "a graceful stop announces PeerLeft at once, well before the 4 s TTL could expire");

                long haltedAt = System.currentTimeMillis();
                s2.halt();
                la.await("left:" + HEX.formatHex(B), 10_000);
                assertTrue(System.currentTimeMillis() - haltedAt >= 900,
                        "a crashed host's peers leave by expiry, not at once");
            } finally {
                s2.close();
                s3.close();
            }
        }
    }
}
