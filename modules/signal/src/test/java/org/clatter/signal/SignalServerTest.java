package org.clatter.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;

import org.clatter.signal.codec.Any;
import org.clatter.signal.codec.CodecTest;
import org.clatter.signal.codec.RpcError;
import org.clatter.signal.codec.RpcMessage;
import org.clatter.signal.codec.RpcMessage.Request;
import org.clatter.signal.codec.RpcMessage.Response;
import org.clatter.signal.codec.SignalProto;
import org.clatter.signal.codec.SignalProto.JoinRequest;
import org.clatter.signal.codec.SignalProtoHelpers;
import org.clatter.signal.ws.Ws;
import org.clatter.signal.ws.WsFrameReader;
import org.junit.jupiter.api.Test;

/** The server on real sockets: wire vectors, robustness against garbage, limits, proof of key, the Java client. */
class SignalServerTest {
    private static final HexFormat HEX = HexFormat.of();

    static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void answersTheRealClientsJoinWithStreamReadyAndItself() throws Exception {
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults());
             RawWs ws = new RawWs(s.address(), SignalServer.PATH)) {
            assertTrue(ws.upgraded(), ws.status);
            ws.sendFrame(Ws.TEXT, "__ping__".getBytes(StandardCharsets.US_ASCII));
            ws.sendFrame(Ws.BINARY, HEX.parseHex(CodecTest.JOIN_VECTOR_PUBLIC));
            assertEquals("120408002801", HEX.formatHex(ws.read().data()));
            Response r = ws.readResponse();
            SignalProto.SwarmEvent e = SignalProto.SwarmEvent.decode(r.payload().orElseThrow().value());
            assertArrayEquals(key(0x22), e.peer());
            ws.sendFrame(Ws.PING, new byte[] {1, 2});
            WsFrameReader.Message pong = ws.read();
            assertEquals(Ws.PONG, pong.opcode());
            assertArrayEquals(new byte[] {1, 2}, pong.data());
            assertEquals(1, s.metrics().textPingsIgnored());
            assertEquals(1, s.metrics().swarms());
        }
    }

    @Test
    void refusesWhatIsNotAWebSocketUpgrade() throws Exception {
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults());
             RawWs ws = new RawWs(s.address(), "/elsewhere")) {
            assertTrue(ws.status.startsWith("HTTP/1.1 404"), ws.status);
        }
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults());
             java.net.Socket so = new java.net.Socket(s.address().getAddress(), s.address().getPort())) {
            so.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String page = new String(so.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(page.startsWith("HTTP/1.1 200") && page.contains("signal_connections_total 0"), page);
        }
    }

    /** Arbitrary and mutated frames get a clear error and never disturb a bystander's connection. */
    @Test
    void garbageNeverDisturbsOtherConnections() throws Exception {
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults().withLimits(4096, 1024, 0, 0, 0));
             SignalClient bystander = SignalClient.connect(s.url(), new RecordingListener())) {
            byte[] me = key(0x77);
            bystander.subscribeMessages(me);
            waitConnected(bystander);
            byte[] join = HEX.parseHex(CodecTest.JOIN_VECTOR_PUBLIC);
            qt().withExamples(80).forAll(SignalProtoHelpers.bytes(0, 200), integers().between(0, 3),
                            integers().between(0, join.length - 1), integers().between(0, 255))
                    .checkAssert((garbage, mode, pos, val) -> {
                        try (RawWs ws = new RawWs(s.address(), SignalServer.PATH)) {
                            switch (mode) {
                                case 0 -> ws.sendRaw(garbage);
                                case 1 -> ws.sendFrame(Ws.BINARY, garbage);
                                default -> {
                                    byte[] m = join.clone();
                                    m[pos] = (byte) (int) val;
                                    ws.sendFrame(Ws.BINARY, m);
                                }
                            }
                            drainUntilErrorOrQuiet(ws);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                        try {
                            bystander.sendMessage(me, me, new Any("t", new byte[] {5})).get();
                        } catch (InterruptedException | ExecutionException e) {
                            throw new AssertionError("the bystander was disturbed", e);
                        }
                    });
            SignalMetrics m = s.metrics();
            assertTrue(m.protocolErrors() + m.invalidRequests() > 0, m.toString());
            assertEquals(80, m.messagesRelayed());
        }
    }

    /** Reads until a close frame, an error response, EOF or a short silence; all are acceptable answers. */
    private static void drainUntilErrorOrQuiet(RawWs ws) throws IOException {
        ws.socket.setSoTimeout(150);
        try {
            while (true) {
                WsFrameReader.Message m = ws.read();
                if (m.opcode() == Ws.CLOSE) {
                    assertTrue(m.data().length >= 2, "close frames carry a code");
                    return;
                }
            }
        } catch (java.net.SocketTimeoutException | java.io.EOFException | java.net.SocketException e) {
            // quiet or closed
        }
    }

    @Test
    void rateLimitsAndPayloadCapsAnswerWithClearErrors() throws Exception {
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults().withLimits(1 << 20, 16, 2, 0, 1));
             RawWs ws = new RawWs(s.address(), SignalServer.PATH)) {
            byte[] big = new SignalProto.Message(key(1), key(2), new Any("t", new byte[17])).encode();
            ws.sendRpc(new Request(0, SignalProto.SEND_MESSAGE, new Any(SignalProto.TYPE_MESSAGE_REQUEST, big), false));
            Response r = ws.readResponse();
            assertEquals(RpcError.PAYLOAD_TOO_LARGE, r.error().orElseThrow().name());
            int limited = 0;
            for (int i = 1; i <= 8; i++) {
                byte[] m = new SignalProto.Message(key(1), key(2), new Any("t", new byte[1])).encode();
                ws.sendRpc(new Request(i, SignalProto.SEND_MESSAGE, new Any(SignalProto.TYPE_MESSAGE_REQUEST, m),
                        false));
                Response x = ws.readResponse();
                if (x.kind() == RpcMessage.Kind.ERROR) {
                    assertEquals(RpcError.RATE_LIMIT_EXCEEDED, x.error().orElseThrow().name());
                    limited++;
                }
            }
            assertTrue(limited >= 3, "a 2/s bucket with burst 4 refuses most of 8 quick calls: " + limited);
            ws.sendRpc(new Request(20, "dxos.Nope", new Any("", new byte[0]), false));
            assertEquals(RpcError.UNKNOWN_METHOD, ws.readResponse().error().orElseThrow().name());
            assertTrue(s.metrics().rateLimited() >= 4);
        }
    }

    @Test
    void oversizedFramesAreClosedWith1009() throws Exception {
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults().withLimits(100, 100, 0, 0, 0));
             RawWs ws = new RawWs(s.address(), SignalServer.PATH)) {
            ws.sendFrame(Ws.BINARY, new byte[101]);
            WsFrameReader.Message m = ws.read();
            assertEquals(Ws.CLOSE, m.opcode());
            assertEquals(Ws.CLOSE_TOO_BIG, m.closeCode());
        }
    }

    @Test
    void proofOfKeyWhenRequired() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] x509 = kp.getPublic().getEncoded();
        byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults().withRequireProof(true))) {
            try (RawWs ws = new RawWs(s.address(), SignalServer.PATH)) {
                ws.sendRpc(new Request(0, SignalProto.JOIN, new Any(SignalProto.TYPE_JOIN_REQUEST,
                        new JoinRequest(key(1), pub).encode()), true));
                assertEquals(RpcError.UNAUTHORIZED, ws.readResponse().error().orElseThrow().name());
            }
            RecordingListener l = new RecordingListener();
            try (SignalClient c = SignalClient.connect(s.url(), l)) {
                c.prove(pub, kp.getPrivate());
                c.join(key(1), pub);
                l.await("available:" + HEX.formatHex(pub), 5000);
            }
            assertEquals(1, s.metrics().unauthorized());
        }
    }

    @Test
    void javaClientsTalkAndReconnectByThemselves() throws Exception {
        try (SignalServer s = SignalServer.start(SignalServerConfig.defaults()
                .withTimers(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(3)))) {
            RecordingListener la = new RecordingListener();
            RecordingListener lb = new RecordingListener();
            try (SignalClient a = SignalClient.connect(s.url(), la);
                 SignalClient b = SignalClient.connect(s.url(), lb)) {
                a.subscribeMessages(key(0xa));
                a.join(key(1), key(0xa));
                b.subscribeMessages(key(0xb));
                b.join(key(1), key(0xb));
                la.await("available:" + HEX.formatHex(key(0xb)), 5000);
                lb.await("available:" + HEX.formatHex(key(0xa)), 5000);
                s.dropAllConnections();
                long end = System.currentTimeMillis() + 5000;
                while ((a.connections() < 2 || b.connections() < 2) && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
                assertEquals(2L, a.connections());
                waitConnected(a);
                waitConnected(b);
                Thread.sleep(300);
                // b subscribes its inbox again on its new connection; a message that reaches the server before that
                // is refused as undeliverable (counted, not lost silently), and only then is it sent again
                String msg = "msg:" + HEX.formatHex(key(0xa)) + ":42";
                for (int attempt = 1; ; attempt++) {
                    long undeliverable = s.metrics().messagesUndeliverable();
                    a.sendMessage(key(0xa), key(0xb), new Any("t", new byte[] {0x42})).get();
                    long until = System.currentTimeMillis() + 5000;
                    while (!lb.saw(msg) && System.currentTimeMillis() < until) {
                        Thread.sleep(10);
                    }
                    if (lb.saw(msg)) {
                        break;
                    }
                    assertTrue(s.metrics().messagesUndeliverable() > undeliverable && attempt < 10,
                            "attempt " + attempt + ": the message after the reconnect was lost without being counted"
                                    + " undeliverable: " + s.metrics().toText());
                    System.out.println("attempt " + attempt + " came before b's inbox was back (undeliverable); again");
                }
                assertTrue(!lb.saw("left:" + HEX.formatHex(key(0xa))));
                a.leave(key(1), key(0xa));
                lb.await("left:" + HEX.formatHex(key(0xa)), 5000);
            }
        }
        assertThrows(SignalException.class, () -> SignalClient.connect(java.net.URI.create("http://x/"),
                new RecordingListener()));
    }

    private static void waitConnected(SignalClient c) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!c.isConnected() && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertInstanceOf(Boolean.class, c.isConnected());
        assertTrue(c.isConnected(), "client connected");
    }
}
