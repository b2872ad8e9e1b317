package org.clatter.signal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.clatter.signal.codec.Any;
import org.clatter.signal.codec.ProtoException;
import org.clatter.signal.codec.RpcMessage;
import org.clatter.signal.codec.RpcMessage.Request;
import org.clatter.signal.codec.RpcMessage.Response;
import org.clatter.signal.codec.SignalProto;
import org.clatter.signal.codec.SignalProto.JoinRequest;
import org.clatter.signal.codec.SignalProto.Message;
import org.clatter.signal.codec.SignalProto.PeerAvailable;
import org.clatter.signal.codec.SignalProto.ReceptionRequest;
import org.clatter.signal.codec.SignalProto.SwarmEvent;

/**
 * A MESH signaling client with the real client's semantics (spec §3): it keeps the state it wants (joined swarms,
 * message subscriptions), opens the WebSocket, issues Join and ReceiveMessages for all of it, and after a drop
 * reconnects with backoff (100 ms doubling to 5 s) and issues them again. Leaving closes the Join stream.
 *
 * <pre>{@code
 * SignalClient c = SignalClient.connect(server.url(), new SignalClient.Listener() {
 *     public void onPeerAvailable(byte[] swarm, byte[] peer) { ... }
 *     public void onMessage(byte[] author, byte[] recipient, Any payload) { ... }
 * });
 * c.subscribeMessages(me);
 * c.join(swarm, me);
 * c.sendMessage(me, other, new Any("my.Type", bytes)).join();
 * }</pre>
 *
 * Listener methods run on the WebSocket's thread, one at a time.
 */
public final class SignalClient implements AutoCloseable {

    /** Callbacks; every method has an empty default. */
    public interface Listener {
        default void onPeerAvailable(byte[] swarm, byte[] peer) {
        }

        default void onPeerLeft(byte[] swarm, byte[] peer) {
        }

        default void onMessage(byte[] author, byte[] recipient, Any payload) {
        }

        /** Connected (true) or disconnected and about to retry (false). */
        default void onConnection(boolean connected) {
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final URI url;
    private final Listener listener;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Map<String, byte[][]> joins = new LinkedHashMap<>();
    private final Map<String, byte[]> inboxes = new LinkedHashMap<>();
    private final Map<String, PrivateKey> identities = new LinkedHashMap<>();
    private final Map<Integer, byte[][]> joinStreams = new HashMap<>();
    private final Map<Integer, CompletableFuture<Any>> unary = new HashMap<>();
    private final java.util.Set<Integer> inboxStreams = new java.util.HashSet<>();
    private WebSocket ws;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private int nextId;
    private long backoffMillis = 100;
    private boolean closed;
    private long connections;

    private SignalClient(URI url, Listener listener) {
        String scheme = url.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new SignalException("signal server URL must be ws:// or wss://, got " + url);
        }
        this.url = url;
        this.listener = listener;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("signal-client-http").factory()))
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("signal-client").factory());
    }

    /** Starts connecting (in the background) and returns at once; state set before the connection is kept. */
    public static SignalClient connect(URI url, Listener listener) {
        SignalClient c = new SignalClient(url, listener);
        c.timer.execute(c::open);
        return c;
    }

    /**
     * Proves ownership of {@code peer} (an Ed25519 public key) with its private key on every (re)connection, for
     * servers started with {@code requireProof}.
     */
    public synchronized void prove(byte[] peer, PrivateKey key) {
        identities.put(HEX.formatHex(peer), key);
        if (ws != null) {
            authenticate(false);
        }
    }

    public synchronized void join(byte[] swarm, byte[] peer) {
        String k = HEX.formatHex(swarm) + "/" + HEX.formatHex(peer);
        if (joins.putIfAbsent(k, new byte[][] {swarm.clone(), peer.clone()}) == null && ws != null) {
            sendJoin(swarm, peer);
        }
    }

    public synchronized void leave(byte[] swarm, byte[] peer) {
        String k = HEX.formatHex(swarm) + "/" + HEX.formatHex(peer);
        if (joins.remove(k) != null && ws != null) {
            for (Map.Entry<Integer, byte[][]> e : joinStreams.entrySet()) {
                if ((HEX.formatHex(e.getValue()[0]) + "/" + HEX.formatHex(e.getValue()[1])).equals(k)) {
                    joinStreams.remove(e.getKey());
                    send(RpcMessage.encode(new RpcMessage.StreamClose(e.getKey())));
                    break;
                }
            }
        }
    }

    public synchronized void subscribeMessages(byte[] peer) {
        if (inboxes.putIfAbsent(HEX.formatHex(peer), peer.clone()) == null && ws != null) {
            request(SignalProto.RECEIVE_MESSAGES, SignalProto.TYPE_RECEPTION_REQUEST,
                    new ReceptionRequest(peer).encode(), true);
        }
    }

    /** Sends a message; completes when the server acknowledged it, exceptionally with its error or if offline. */
    public synchronized CompletableFuture<Void> sendMessage(byte[] author, byte[] recipient, Any payload) {
        if (ws == null) {
            return CompletableFuture.failedFuture(new SignalException("not connected to " + url
                    + "; wait for onConnection(true) or retry"));
        }
        int id = request(SignalProto.SEND_MESSAGE, SignalProto.TYPE_MESSAGE_REQUEST,
                new Message(author, recipient, payload).encode(), false);
        CompletableFuture<Any> f = new CompletableFuture<>();
        unary.put(id, f);
        return f.orTimeout(3, TimeUnit.SECONDS).thenApply(a -> null);
    }

    public synchronized boolean isConnected() {
        return ws != null;
    }

    /** Connections made so far (1 + reconnections). */
    public synchronized long connections() {
        return connections;
    }

    @Override
    public void close() {
        WebSocket w;
        synchronized (this) {
            closed = true;
            w = ws;
            ws = null;
            if (w != null) {
                for (int id : joinStreams.keySet()) {
                    sendOn(w, RpcMessage.encode(new RpcMessage.StreamClose(id)));
                }
            }
        }
        if (w != null) {
            sendChain.thenCompose(x -> w.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                    .orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        timer.shutdownNow();
    }

    // ------------------------------------------------------------------ connection

    private void open() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(url, new WsListener())
                .whenComplete((w, err) -> {
                    if (err != null) {
                        retry();
                        return;
                    }
                    synchronized (this) {
                        if (closed) {
                            w.abort();
                            return;
                        }
                        ws = w;
                        connections++;
                        backoffMillis = 100;
                        nextId = 0;
                        sendChain = CompletableFuture.completedFuture(null);
                        joinStreams.clear();
                        inboxStreams.clear();
                        if (identities.isEmpty()) {
                            resubscribe();
                        } else {
                            authenticate(true);
                        }
                    }
                    listener.onConnection(true);
                });
    }

    private void retry() {
        long delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            delay = backoffMillis;
            backoffMillis = Math.min(backoffMillis * 2, 5000);
        }
        try {
            timer.schedule(this::open, delay, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // closed meanwhile
        }
    }

    private void dropped() {
        boolean was;
        synchronized (this) {
            was = ws != null;
            ws = null;
            joinStreams.clear();
            inboxStreams.clear();
            for (CompletableFuture<Any> f : unary.values()) {
                f.completeExceptionally(new SignalException("connection to " + url + " lost"));
            }
            unary.clear();
        }
        if (was) {
            listener.onConnection(false);
        }
        retry();
    }

    private void resubscribe() {
        for (byte[][] j : joins.values()) {
            sendJoin(j[0], j[1]);
        }
        for (byte[] p : inboxes.values()) {
            request(SignalProto.RECEIVE_MESSAGES, SignalProto.TYPE_RECEPTION_REQUEST,
                    new ReceptionRequest(p).encode(), true);
        }
    }

    /** Challenge, then prove every identity; the server handles them in order before the joins that follow. */
    private void authenticate(boolean thenResubscribe) {
        int id = request(SignalProto.AUTH_CHALLENGE, ".google.protobuf.Empty", new byte[0], false);
        CompletableFuture<Any> f = new CompletableFuture<>();
        unary.put(id, f);
        f.orTimeout(3, TimeUnit.SECONDS).thenAccept(answer -> {
            synchronized (this) {
                byte[] nonce = SignalProto.decodeBytesValue(answer.value());
                for (Map.Entry<String, PrivateKey> e : identities.entrySet()) {
                    try {
                        Signature s = Signature.getInstance("Ed25519");
                        s.initSign(e.getValue());
                        s.update(SignalServer.AUTH_CONTEXT.getBytes(StandardCharsets.US_ASCII));
                        s.update(nonce);
                        byte[] proof = new SignalProto.Proof(HEX.parseHex(e.getKey()), s.sign()).encode();
                        request(SignalProto.AUTH_PROVE, SignalProto.TYPE_PROOF, proof, false);
                    } catch (GeneralSecurityException ex) {
                        throw new SignalException("cannot sign the challenge with the key of peer " + e.getKey()
                                + ": " + ex.getMessage() + " (give an Ed25519 private key)", ex);
                    }
                }
                if (thenResubscribe) {
                    resubscribe();
                }
            }
        });
    }

    private void sendJoin(byte[] swarm, byte[] peer) {
        int id = request(SignalProto.JOIN, SignalProto.TYPE_JOIN_REQUEST, new JoinRequest(swarm, peer).encode(), true);
        joinStreams.put(id, new byte[][] {swarm, peer});
    }

    private int request(String method, String type, byte[] payload, boolean stream) {
        int id = nextId++;
        if (method.equals(SignalProto.RECEIVE_MESSAGES)) {
            inboxStreams.add(id);
        }
        send(RpcMessage.encode(new Request(id, method, new Any(type, payload), stream)));
        return id;
    }

    private void send(byte[] frame) {
        WebSocket w = ws;
        if (w != null) {
            sendOn(w, frame);
        }
    }

    private void sendOn(WebSocket w, byte[] frame) {
        sendChain = sendChain.thenCompose(x -> w.sendBinary(ByteBuffer.wrap(frame), true))
                .exceptionally(e -> null);
    }

    private void onFrame(byte[] data) {
        RpcMessage m;
        try {
            m = RpcMessage.decode(data);
        } catch (ProtoException e) {
            return;
        }
        if (!(m instanceof Response r)) {
            return;
        }
        byte[][] join;
        CompletableFuture<Any> f;
        boolean inbox;
        synchronized (this) {
            inbox = inboxStreams.contains(r.id());
            join = joinStreams.get(r.id());
            f = unary.get(r.id());
            if (f != null && r.kind() != RpcMessage.Kind.STREAM_READY) {
                unary.remove(r.id());
            }
            if (join != null && (r.kind() == RpcMessage.Kind.CLOSE || r.kind() == RpcMessage.Kind.ERROR)) {
                joinStreams.remove(r.id());
            }
        }
        if (f != null) {
            switch (r.kind()) {
                case PAYLOAD -> f.complete(r.payload().orElseThrow());
                case ERROR -> f.completeExceptionally(new SignalException(r.error().orElseThrow().name() + ": "
                        + r.error().orElseThrow().message()));
                default -> f.completeExceptionally(new SignalException("unexpected answer " + r.kind()));
            }
            return;
        }
        if (r.kind() != RpcMessage.Kind.PAYLOAD || (join == null && !inbox)) {
            return;
        }
        byte[] value = r.payload().orElseThrow().value();
        try {
            if (join != null) {
                SwarmEvent e = SwarmEvent.decode(value);
                if (e instanceof PeerAvailable) {
                    listener.onPeerAvailable(join[0].clone(), e.peer());
                } else {
                    listener.onPeerLeft(join[0].clone(), e.peer());
                }
            } else {
                Message msg = Message.decode(value);
                listener.onMessage(msg.author(), msg.recipient(), msg.payload());
            }
        } catch (ProtoException e) {
            // a malformed event from the server: ignored
        }
    }

    private final class WsListener implements WebSocket.Listener {
        private ByteBuffer partial = ByteBuffer.allocate(4096);

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            if (partial.remaining() < data.remaining()) {
                ByteBuffer b = ByteBuffer.allocate(Math.max(partial.capacity() * 2, partial.position()
                        + data.remaining()));
                partial.flip();
                b.put(partial);
                partial = b;
            }
            partial.put(data);
            if (last) {
                byte[] frame = new byte[partial.position()];
                partial.flip();
                partial.get(frame);
                partial.clear();
                onFrame(frame);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            dropped();
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            dropped();
        }
    }
}
