package org.clatter.signal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.clatter.core.time.Clock;
import org.clatter.signal.codec.Any;
import org.clatter.signal.codec.ProtoException;
import org.clatter.signal.codec.RpcError;
import org.clatter.signal.codec.RpcMessage;
import org.clatter.signal.codec.RpcMessage.Request;
import org.clatter.signal.codec.RpcMessage.Response;
import org.clatter.signal.codec.SignalProto;
import org.clatter.signal.codec.SignalProto.JoinRequest;
import org.clatter.signal.codec.SignalProto.Message;
import org.clatter.signal.codec.SignalProto.Proof;
import org.clatter.signal.codec.SignalProto.ReceptionRequest;
import org.clatter.signal.codec.SignalProto.SwarmEvent;
import org.clatter.signal.engine.EngineConfig;
import org.clatter.signal.engine.SwarmEngine;
import org.clatter.signal.nats.NatsClient;
import org.clatter.signal.ws.HttpUpgrade;
import org.clatter.signal.ws.Ws;
import org.clatter.signal.ws.WsConnection;
import org.clatter.signal.ws.WsFrameReader;
import org.clatter.signal.ws.WsProtocolException;

/**
 * The MESH signaling server: the {@code Signal} service over WebSocket at {@value #PATH} (spec §2), one virtual
 * thread per connection, one engine thread running the {@link SwarmEngine}, and optionally a NATS connection
 * that clusters it with other servers (spec §4).
 *
 * <pre>
 *  socket ─▶ [virtual thread: HTTP upgrade, WsFrameReader, RpcMessage decode, limits, auth]
 *                 │ join / receive / send / stream_close / drop          ▲ frames (WsConnection queue)
 *                 ▼                                                        │
 *            [engine thread: SwarmEngine, timers] ──publish/subscribe──▶ NATS ──MSG──▶ engine thread
 * </pre>
 *
 * <pre>{@code
 * try (SignalServer s = SignalServer.start(SignalServerConfig.defaults().withBind("127.0.0.1", 7100))) {
 *     System.out.println(s.url());   // ws://127.0.0.1:7100/.well-known/dx/signal
 * }
 * }</pre>
 */
public final class SignalServer implements AutoCloseable {
    public static final String PATH = "/.well-known/dx/signal";
    static final String AUTH_CONTEXT = "clatter-signal-auth:";

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ED25519_X509_PREFIX = HEX.parseHex("302a300506032b6570032100");

    private final SignalServerConfig config;
    private final Clock clock;
    private final ServerSocket serverSocket;
    private final SwarmEngine engine;
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Map<Long, Conn> conns = new ConcurrentHashMap<>();
    private final Map<String, Bucket> keyBuckets = new ConcurrentHashMap<>();
    private final AtomicLong nextConnId = new AtomicLong(1);
    private final AtomicLong connectionsTotal = new AtomicLong();
    private final AtomicLong protocolErrors = new AtomicLong();
    private final AtomicLong invalidRequests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong textPings = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final Thread engineThread;
    private final Thread acceptThread;
    private final NatsClient nats;
    private volatile boolean running = true;

    private SignalServer(SignalServerConfig config) throws IOException {
        this.config = config;
        this.clock = config.clock();
        byte[] hostId = new byte[16];
        random.nextBytes(hostId);
        EngineConfig ec = new EngineConfig(config.announceTtl().toNanos(), config.reannounce().toNanos(),
                config.grace().toNanos(), config.hashKeys(), config.network());
        NatsClient n = null;
        if (config.natsUrl().isPresent()) {
            n = NatsClient.connect(config.natsUrl().get(), "clatter-signal-" + HEX.formatHex(hostId),
                    this::onBusMessage);
        }
        this.nats = n;
        this.engine = new SwarmEngine(ec, clock, hostId, nats != null, new EngineOutput());
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 1024);
        this.engineThread = Thread.ofPlatform().name("signal-engine").daemon().start(this::engineLoop);
        this.acceptThread = Thread.ofPlatform().name("signal-accept").daemon().start(this::acceptLoop);
    }

    /**
     * Binds and starts a server.
     *
     * @throws SignalException if the port cannot be bound or the NATS server cannot be reached
     */
    public static SignalServer start(SignalServerConfig config) {
        try {
            return new SignalServer(config);
        } catch (IOException e) {
            throw new SignalException("cannot start the signal server on " + config.bindAddress() + ":"
                    + config.port() + config.natsUrl().map(u -> " with NATS " + u).orElse("") + ": " + e.getMessage()
                    + " (pick another port, or check that the NATS server runs)", e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    /** {@code ws://host:port/.well-known/dx/signal}. */
    public URI url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("ws://" + host + ":" + a.getPort() + PATH);
    }

    /** A snapshot of the counters (asks the engine thread; waits at most 1 s for it). */
    public SignalMetrics metrics() {
        long[] engineCounters = new long[4];
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add(() -> {
            engineCounters[0] = engine.swarmCount();
            engineCounters[1] = engine.relayed();
            engineCounters[2] = engine.undeliverable();
            engineCounters[3] = engine.busRejected();
            done.complete(null);
        });
        try {
            done.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            // engine busy or stopped: report what we have
        }
        synchronized (engineCounters) {
            return new SignalMetrics(conns.size(), connectionsTotal.get(), engineCounters[0], engineCounters[1],
                    engineCounters[2], protocolErrors.get(), invalidRequests.get(), rateLimited.get(),
                    unauthorized.get(), textPings.get(), nats == null ? 0 : nats.dropped(), engineCounters[3]);
        }
    }

    /** Graceful shutdown: every local peer leaves (PeerLeft on the bus), streams are closed, sockets closed. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add(() -> {
            engine.shutdown();
            done.complete(null);
        });
        try {
            done.get(2, TimeUnit.SECONDS);
            if (nats != null) {
                nats.flush(1000);
            }
        } catch (Exception e) {
            // closing anyway: other hosts will notice by expiry
        }
        for (Conn c : conns.values()) {
            c.ws.close(Ws.CLOSE_GOING_AWAY, "server shutting down");
        }
        stop();
    }

    /** Stops without announcing anything, as a crash would: other hosts notice by expiry only. */
    void halt() {
        stop();
    }

    /** Kills every client socket without a close handshake (the clients will reconnect). */
    void dropAllConnections() {
        for (Conn c : conns.values()) {
            c.ws.abort();
        }
    }

    private void stop() {
        running = false;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Conn c : conns.values()) {
            try {
                c.ws.awaitWriter(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.ws.abort();
        }
        if (nats != null) {
            nats.close();
        }
        engineThread.interrupt();
        try {
            engineThread.join(2000);
            acceptThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onBusMessage(String subject, byte[] payload) {
        tasks.add(() -> engine.busMessage(subject, payload));
    }

    // ------------------------------------------------------------------ threads

    private void engineLoop() {
        while (running) {
            try {
                long wait = engine.nextDeadline() - clock.nanos();
                Runnable r = wait <= 0 ? tasks.poll() : tasks.poll(Math.min(wait, 1_000_000_000L),
                        TimeUnit.NANOSECONDS);
                while (r != null) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        invalidRequests.incrementAndGet();
                    }
                    r = tasks.poll();
                }
                if (engine.nextDeadline() <= clock.nanos()) {
                    engine.tick();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = serverSocket.accept();
                Thread.ofVirtual().name("signal-conn").start(() -> serve(s));
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        Conn conn = null;
        InputStream in = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream(), 4096);
            HttpUpgrade.Request req;
            try {
                req = HttpUpgrade.read(in, 8192);
            } catch (IllegalArgumentException e) {
                socket.getOutputStream().write(new HttpUpgrade.Refusal(400, "Bad Request", "", e.getMessage() + "\n")
                        .toBytes());
                protocolErrors.incrementAndGet();
                return;
            }
            String path = req.path();
            if (req.method().equals("GET") && (path.equals("/health") || path.equals("/metrics"))) {
                String body = path.equals("/health") ? "ok\n" : metrics().toText();
                socket.getOutputStream().write(new HttpUpgrade.Refusal(200, "OK", "", body).toBytes());
                return;
            }
            Optional<HttpUpgrade.Refusal> refusal = HttpUpgrade.check(req, PATH);
            if (refusal.isPresent()) {
                socket.getOutputStream().write(refusal.get().toBytes());
                protocolErrors.incrementAndGet();
                return;
            }
            OutputStream raw = socket.getOutputStream();
            raw.write(HttpUpgrade.accept(req));
            raw.flush();
            long id = nextConnId.getAndIncrement();
            conn = new Conn(id, new WsConnection(socket, config.sendQueueFrames()));
            conns.put(id, conn);
            connectionsTotal.incrementAndGet();
            long pingMillis = Math.max(1, config.pingInterval().toMillis());
            socket.setSoTimeout((int) Math.min(pingMillis, Integer.MAX_VALUE));
            readLoop(conn, new WsFrameReader(in, config.maxFrameBytes(), true), pingMillis);
        } catch (WsProtocolException e) {
            protocolErrors.incrementAndGet();
            if (conn != null) {
                conn.ws.close(e.closeCode(), e.getMessage());
                awaitQuietly(conn);
                drain(socket, in);
            }
        } catch (IOException e) {
            // dropped: the grace period starts below
        } finally {
            if (conn != null) {
                long id = conn.id;
                conns.remove(id);
                conn.ws.abort();
                tasks.add(() -> engine.disconnected(id));
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void readLoop(Conn conn, WsFrameReader reader, long pingMillis) throws IOException {
        long lastRx = System.nanoTime();
        long idleNanos = config.idleTimeout().toNanos();
        while (running) {
            WsFrameReader.Message m;
            try {
                m = reader.read();
            } catch (SocketTimeoutException e) {
                if (System.nanoTime() - lastRx > idleNanos) {
                    conn.ws.close(Ws.CLOSE_GOING_AWAY, "idle for " + config.idleTimeout().toSeconds() + " s");
                    awaitQuietly(conn);
                    return;
                }
                conn.ws.enqueue(Ws.frame(Ws.PING, new byte[0]));
                continue;
            }
            lastRx = System.nanoTime();
            switch (m.opcode()) {
                case Ws.TEXT -> textPings.incrementAndGet();
                case Ws.BINARY -> onRpc(conn, m.data());
                case Ws.PING -> conn.ws.enqueue(Ws.frame(Ws.PONG, m.data()));
                case Ws.PONG -> {
                }
                case Ws.CLOSE -> {
                    int code = m.closeCode();
                    conn.ws.close(code == Ws.CLOSE_NO_STATUS ? Ws.CLOSE_NORMAL : code, "");
                    awaitQuietly(conn);
                    return;
                }
                default -> throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "unexpected opcode");
            }
            if (conn.ws.isClosing()) {
                awaitQuietly(conn);
                return;
            }
        }
        throw new EOFException("server stopping");
    }

    /** Reads what the client still sends (briefly) so closing does not reset the connection before our close frame. */
    private static void drain(Socket socket, InputStream in) {
        try {
            socket.setSoTimeout(200);
            byte[] sink = new byte[8192];
            long end = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < end && in.read(sink) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // closed or quiet: done
        }
    }

    private static void awaitQuietly(Conn conn) {
        try {
            conn.ws.awaitWriter(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ dxRPC

    private void onRpc(Conn conn, byte[] frame) {
        RpcMessage msg;
        try {
            msg = RpcMessage.decode(frame);
        } catch (ProtoException e) {
            throw new WsProtocolException(Ws.CLOSE_INVALID_DATA, "malformed dxRPC RpcMessage: " + e.getMessage());
        }
        switch (msg) {
            case Request r -> onRequest(conn, r);
            case RpcMessage.StreamClose c -> tasks.add(() -> engine.closeStream(conn.id, c.id()));
            case RpcMessage.Open o -> conn.ws.sendBinary(RpcMessage.encode(new RpcMessage.OpenAck()));
            case RpcMessage.Bye b -> {
                conn.ws.sendBinary(RpcMessage.encode(new RpcMessage.Bye()));
                conn.ws.close(Ws.CLOSE_NORMAL, "bye");
            }
            case RpcMessage.OpenAck a -> {
            }
            case Response r -> {
            }
        }
    }

    private void onRequest(Conn conn, Request r) {
        int id = r.id();
        try {
            switch (r.method()) {
                case SignalProto.JOIN -> {
                    JoinRequest j = JoinRequest.decode(r.payload().value());
                    checkKey("swarm", j.swarm());
                    checkKey("peer", j.peer());
                    if (refuse(conn, id, j.peer()) || limited(conn, id, Optional.empty())) {
                        return;
                    }
                    if (config.maxSwarmsPerConnection() > 0 && !conn.joinIds.contains(id)
                            && conn.joinIds.size() >= config.maxSwarmsPerConnection()) {
                        rateLimited.incrementAndGet();
                        error(conn, id, RpcError.RATE_LIMIT_EXCEEDED, "more than "
                                + config.maxSwarmsPerConnection() + " swarms on one connection");
                        return;
                    }
                    conn.joinIds.add(id);
                    tasks.add(() -> engine.join(conn.id, id, j.swarm(), j.peer()));
                }
                case SignalProto.RECEIVE_MESSAGES -> {
                    ReceptionRequest q = ReceptionRequest.decode(r.payload().value());
                    checkKey("peer", q.peer());
                    if (refuse(conn, id, q.peer())) {
                        return;
                    }
                    tasks.add(() -> engine.receive(conn.id, id, q.peer()));
                }
                case SignalProto.SEND_MESSAGE -> {
                    Message m = Message.decode(r.payload().value());
                    checkKey("author", m.author());
                    checkKey("recipient", m.recipient());
                    if (refuse(conn, id, m.author()) || limited(conn, id, Optional.of(m.author()))) {
                        return;
                    }
                    if (m.payload().valueLength() > config.maxPayloadBytes()) {
                        rateLimited.incrementAndGet();
                        error(conn, id, RpcError.PAYLOAD_TOO_LARGE, "payload of " + m.payload().valueLength()
                                + " bytes is over the limit of " + config.maxPayloadBytes());
                        return;
                    }
                    tasks.add(() -> engine.send(m));
                    conn.ws.sendBinary(RpcMessage.encode(Response.payload(id, Any.EMPTY)));
                }
                case SignalProto.AUTH_CHALLENGE -> {
                    byte[] nonce = new byte[32];
                    random.nextBytes(nonce);
                    conn.nonce = nonce;
                    conn.ws.sendBinary(RpcMessage.encode(Response.payload(id,
                            new Any(SignalProto.TYPE_BYTES, SignalProto.encodeBytesValue(nonce)))));
                }
                case SignalProto.AUTH_PROVE -> {
                    Proof p = Proof.decode(r.payload().value());
                    if (conn.nonce.length == 0 || !verify(p, conn.nonce)) {
                        unauthorized.incrementAndGet();
                        error(conn, id, RpcError.UNAUTHORIZED, "bad proof: sign \"" + AUTH_CONTEXT
                                + "\" + the nonce from " + SignalProto.AUTH_CHALLENGE + " with the Ed25519 peer key");
                        return;
                    }
                    conn.proven.add(HEX.formatHex(p.peer()));
                    conn.ws.sendBinary(RpcMessage.encode(Response.payload(id, Any.EMPTY)));
                }
                default -> {
                    invalidRequests.incrementAndGet();
                    error(conn, id, RpcError.UNKNOWN_METHOD, "unknown method '" + r.method()
                            + "'; this server offers " + SignalProto.SERVICE + ".{Join,ReceiveMessages,SendMessage}");
                }
            }
        } catch (ProtoException | IllegalArgumentException e) {
            invalidRequests.incrementAndGet();
            error(conn, id, RpcError.INVALID_REQUEST, "cannot decode the request payload of " + r.method() + ": "
                    + e.getMessage());
        }
    }

    private static void checkKey(String what, byte[] key) {
        if (key.length == 0 || key.length > 64) {
            throw new IllegalArgumentException(what + " key must be 1 to 64 bytes, got " + key.length);
        }
    }

    private boolean refuse(Conn conn, int id, byte[] key) {
        if (!config.requireProof() || conn.proven.contains(HEX.formatHex(key))) {
            return false;
        }
        unauthorized.incrementAndGet();
        error(conn, id, RpcError.UNAUTHORIZED, "peer key " + HEX.formatHex(key) + " is not proven on this "
                + "connection; call " + SignalProto.AUTH_CHALLENGE + " and " + SignalProto.AUTH_PROVE + " first");
        return true;
    }

    private boolean limited(Conn conn, int id, Optional<byte[]> author) {
        long now = clock.nanos();
        if (config.connectionRate() > 0 && !conn.bucket.take(now)) {
            rateLimited.incrementAndGet();
            error(conn, id, RpcError.RATE_LIMIT_EXCEEDED, "more than " + config.connectionRate()
                    + " calls per second on this connection");
            return true;
        }
        if (config.keyRate() > 0 && author.isPresent()) {
            if (keyBuckets.size() > 100_000) {
                keyBuckets.clear();
            }
            Bucket b = keyBuckets.computeIfAbsent(HEX.formatHex(author.get()), k -> new Bucket(config.keyRate(), now));
            if (!b.take(now)) {
                rateLimited.incrementAndGet();
                error(conn, id, RpcError.RATE_LIMIT_EXCEEDED, "more than " + config.keyRate()
                        + " messages per second from this peer key");
                return true;
            }
        }
        return false;
    }

    private static void error(Conn conn, int id, String name, String message) {
        conn.ws.sendBinary(RpcMessage.encode(Response.error(id, new RpcError(name, message))));
    }

    static boolean verify(Proof p, byte[] nonce) {
        if (p.peer().length != 32 || p.signature().length != 64) {
            return false;
        }
        try {
            byte[] x509 = new byte[44];
            System.arraycopy(ED25519_X509_PREFIX, 0, x509, 0, 12);
            System.arraycopy(p.peer(), 0, x509, 12, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(AUTH_CONTEXT.getBytes(StandardCharsets.US_ASCII));
            s.update(nonce);
            return s.verify(p.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ engine output

    private final class EngineOutput implements SwarmEngine.Output {
        @Override
        public void streamReady(long conn, int requestId) {
            send(conn, RpcMessage.encode(Response.streamReady(requestId)));
        }

        @Override
        public void streamEvent(long conn, int requestId, SwarmEvent event) {
            send(conn, RpcMessage.encode(Response.payload(requestId,
                    new Any(SignalProto.TYPE_SWARM_EVENT, event.encode()))));
        }

        @Override
        public void streamClose(long conn, int requestId) {
            send(conn, RpcMessage.encode(Response.close(requestId)));
        }

        @Override
        public void deliver(long conn, int requestId, Message message) {
            send(conn, RpcMessage.encode(Response.payload(requestId,
                    new Any(SignalProto.TYPE_MESSAGE, message.encode()))));
        }

        @Override
        public void publish(String subject, byte[] payload) {
            nats.publish(subject, payload);
        }

        @Override
        public void subscribe(String subject) {
            nats.subscribe(subject);
        }

        @Override
        public void unsubscribe(String subject) {
            nats.unsubscribe(subject);
        }

        private void send(long conn, byte[] rpc) {
            Conn c = conns.get(conn);
            if (c != null) {
                c.ws.sendBinary(rpc);
            }
        }
    }

    private final class Conn {
        final long id;
        final WsConnection ws;
        final Set<String> proven = ConcurrentHashMap.newKeySet();
        final Set<Integer> joinIds = new HashSet<>();
        final Bucket bucket;
        volatile byte[] nonce = new byte[0];

        Conn(long id, WsConnection ws) {
            this.id = id;
            this.ws = ws;
            this.bucket = new Bucket(Math.max(config.connectionRate(), 1), clock.nanos());
        }
    }

    /** A token bucket: {@code rate} per second, a burst of twice that. */
    private static final class Bucket {
        private final double rate;
        private final double burst;
        private double tokens;
        private long last;

        Bucket(double rate, long now) {
            this.rate = rate;
            this.burst = Math.max(1, rate * 2);
            this.tokens = burst;
            this.last = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
