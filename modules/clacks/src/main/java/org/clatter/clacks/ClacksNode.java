package org.clatter.clacks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.clatter.clacks.engine.ClacksEngine;
import org.clatter.clacks.engine.Ed25519Signer;
import org.clatter.clacks.engine.MessageSigner;
import org.clatter.clacks.internal.HttpsClacksTransport;
import org.clatter.clacks.internal.HttpsEndpoint;
import org.clatter.clacks.internal.Tls;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;

/**
 * A Clacks node: a bounded queue, a peer table, a send timer, an HTTPS server compatible with clacks-p2p 0.3.3,
 * and any {@link ClacksTransport} for sending (HTTPS by default).
 *
 * <pre>{@code
 * try (ClacksNode node = ClacksNode.create(ClacksOptions.builder()
 *         .hostname("127.0.0.1").port(8080).tls(cert, key).trust(peerCert).sendrate(10).build())) {
 *     node.onMessageReceived((from, payload) -> Optional.of(payload.message()));
 *     node.start();
 *     node.addPeer(PeerAddress.parse("127.0.0.1:8081"));
 *     node.enqueue("hello");
 * }
 * }</pre>
 *
 * Thread-safe: every call takes the node's engine lock; listeners and plugins run under it (they may call the
 * node back, but should not block).
 */
public final class ClacksNode implements AutoCloseable {
    private final ClacksOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final ClacksEngine engine;
    private final Optional<ClacksTransport> givenTransport;
    private ClacksTransport transport;
    private HttpsEndpoint endpoint;
    private ScheduledExecutorService ticker;
    private final boolean signing;
    private boolean started;
    private boolean closed;

    private ClacksNode(ClacksOptions options, Optional<ClacksTransport> transport) {
        this.options = options;
        this.givenTransport = transport;
        Optional<MessageSigner> signer = options.sign() || options.requireSignatures() ? Ed25519Signer.load() : Optional.empty();
        if ((options.sign() || options.requireSignatures()) && signer.isEmpty()) {
            throw new ClacksException("signing needs an Ed25519 crypto provider on the module path "
                    + "(clatter-crypto, provider \"bouncycastle\"); add it, or run without --sign / requireSignatures");
        }
        this.signing = signer.isPresent() && options.sign();
        SplittableRandom rng = options.seed().map(SplittableRandom::new).orElseGet(SplittableRandom::new);
        this.engine = new ClacksEngine(options, new PeerAddress(options.hostname(), Math.max(1, options.port())), rng,
                signer);
    }

    /** A node that sends over HTTPS (trusting {@code options.trust()} or the system store). Call {@link #start}. */
    public static ClacksNode create(ClacksOptions options) {
        return new ClacksNode(options, Optional.empty());
    }

    /** A node that sends through {@code transport} (the mesh, or a test double). Call {@link #start}. */
    public static ClacksNode create(ClacksOptions options, ClacksTransport transport) {
        return new ClacksNode(options, Optional.of(transport));
    }

    /** Binds the HTTPS server (when TLS is configured), adds the configured peers and starts the send timer. */
    public ClacksNode start() {
        lock.lock();
        try {
            if (started) {
                throw new ClacksException("this node is already started");
            }
            started = true;
            if (options.tlsCertificate().isPresent()) {
                String bindHost = options.bindAddress().orElse(options.hostname());
                InetSocketAddress bind;
                try {
                    bind = new InetSocketAddress(InetAddress.getByName(bindHost), options.port());
                } catch (IOException e) {
                    throw new ClacksException("cannot resolve the bind address '" + bindHost
                            + "'; pass an IP address with bindAddress", e);
                }
                try {
                    endpoint = new HttpsEndpoint(bind, Tls.serverContext(options.tlsCertificate().get(),
                            options.tlsKey().orElseThrow()), options.maxBodyBytes(), Math.max(4, options.maxInFlight()),
                            this::handle, this::count);
                } catch (IOException e) {
                    throw new ClacksException("cannot listen on " + bind + ": " + e.getMessage()
                            + "; choose another port (0 picks a free one)", e);
                }
                endpoint.start();
                engine.setSelf(new PeerAddress(options.hostname(), endpoint.address().getPort()));
            }
            transport = givenTransport.orElseGet(() -> new HttpsClacksTransport(Tls.clientContext(options.trust()),
                    options.requestTimeout()));
            long now = System.nanoTime();
            for (PeerAddress p : options.peers()) {
                engine.addPeer(p, now);
            }
            long periodNanos = Math.max(1_000_000L, Math.round(1e9 / options.sendrate()));
            int perTick = (int) Math.max(1, Math.round(options.sendrate() * periodNanos / 1e9));
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().daemon().name("clacks-sender").factory());
            t.setRemoveOnCancelPolicy(true);
            ticker = t;
            ticker.scheduleAtFixedRate(() -> tick(perTick), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
            return this;
        } finally {
            lock.unlock();
        }
    }

    private void tick(int perTick) {
        List<ClacksEngine.Outgoing> out = new ArrayList<>(perTick);
        lock.lock();
        try {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            for (int i = 0; i < perTick; i++) {
                Optional<ClacksEngine.Outgoing> o = engine.poll(now);
                if (o.isEmpty()) {
                    break;
                }
                out.add(o.get());
            }
        } catch (RuntimeException e) {
            engine.count("engine.errors");
        } finally {
            lock.unlock();
        }
        for (ClacksEngine.Outgoing o : out) {
            dispatch(o);
        }
    }

    private void dispatch(ClacksEngine.Outgoing o) {
        try {
            transport.send(o.peer(), o.body(), status -> complete(o.token(), status));
        } catch (RuntimeException e) {
            complete(o.token(), ClacksTransport.NETWORK_ERROR);
        }
    }

    private void complete(long token, int status) {
        lock.lock();
        try {
            engine.onSendResult(token, status, System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    private int handle(byte[] body, int len) {
        return receive(body, 0, len);
    }

    /**
     * Handles one inbound request body, whatever transport carried it, and returns the status to answer
     * (200 accepted, 400 malformed, 403 ignored sender, 413 too large, 503 queue full, 508 this node itself).
     */
    public int receive(byte[] body, int off, int len) {
        lock.lock();
        try {
            return engine.receive(body, off, len, System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /** Queues a message (any truthy JSON value). */
    public EnqueueResult enqueue(JsonValue message) {
        lock.lock();
        try {
            return engine.enqueue(message, System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /** Queues a text message (a JSON string). */
    public EnqueueResult enqueue(String text) {
        return enqueue(new JsonString(text));
    }

    /** The head of the queue. */
    public Optional<JsonValue> peek() {
        return locked(engine::peek);
    }

    /** Messages queued (not counting those in flight). */
    public int queueSize() {
        return locked(engine::queueSize);
    }

    /** Requests sent and not answered yet. */
    public int inFlight() {
        return locked(engine::inFlightCount);
    }

    public List<Peer> peers() {
        return locked(engine::peers);
    }

    public Optional<Peer> peer(PeerAddress address) {
        return locked(() -> engine.peer(address));
    }

    /** Adds a peer as new; false if it is known, is this node, or the table is full of live peers. */
    public boolean addPeer(PeerAddress address) {
        return locked(() -> engine.addPeer(address, System.nanoTime()));
    }

    /** Sends an announce to {@code address} now; on 200 it becomes a (new) peer. */
    public void announce(PeerAddress address) {
        requireStarted();
        Optional<ClacksEngine.Outgoing> o = locked(() -> engine.announce(address, System.nanoTime()));
        o.ifPresent(this::dispatch);
    }

    /** Never sends to {@code address} again and answers its requests with 403 (until {@link #unignore}). */
    public void ignore(PeerAddress address) {
        lock.lock();
        try {
            engine.ignore(address, System.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    public boolean unignore(PeerAddress address) {
        return locked(() -> engine.unignore(address, System.nanoTime()));
    }

    public ClacksNode onMessageReceived(ClacksListener.MessageReceived l) {
        lock.lock();
        try {
            engine.onMessageReceived(l);
            return this;
        } finally {
            lock.unlock();
        }
    }

    public ClacksNode onMessageQueued(ClacksListener.MessageQueued l) {
        lock.lock();
        try {
            engine.onMessageQueued(l);
            return this;
        } finally {
            lock.unlock();
        }
    }

    public ClacksNode onPeerDiscovered(ClacksListener.PeerChanged l) {
        lock.lock();
        try {
            engine.onPeerDiscovered(l);
            return this;
        } finally {
            lock.unlock();
        }
    }

    public ClacksNode onPeerUpdated(ClacksListener.PeerChanged l) {
        lock.lock();
        try {
            engine.onPeerUpdated(l);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Registers a plugin; plugins run in registration order. */
    public ClacksNode extend(ClacksPlugin plugin) {
        lock.lock();
        try {
            engine.extend(plugin);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Advertises {@code address} to peers whose hostname starts with {@code hostnamePrefix}, for a node that bridges
     * transports (see {@link ClacksTransports#route}): e.g. {@code advertise("sid-", meshAddress)}.
     */
    public ClacksNode advertise(String hostnamePrefix, PeerAddress address) {
        lock.lock();
        try {
            engine.advertise(hostnamePrefix, address);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** The address this node advertises (its real port once started). */
    public PeerAddress self() {
        return locked(engine::self);
    }

    /** This node's random id, carried in the envelope so it recognises itself under another name. */
    public String nodeId() {
        return engine.nodeId();
    }

    /** True if messages originated here are signed. */
    public boolean signing() {
        return signing;
    }

    /** Where the HTTPS server listens, if it runs. */
    public Optional<InetSocketAddress> boundAddress() {
        return locked(() -> Optional.ofNullable(endpoint).map(HttpsEndpoint::address));
    }

    /** Counters ({@code requests}, {@code requests.bad_json.syntax}, {@code send.ok}, {@code send.timeout}, ...). */
    public Map<String, Long> counters() {
        return locked(engine::counters);
    }

    private void count(String name) {
        lock.lock();
        try {
            engine.count(name);
        } finally {
            lock.unlock();
        }
    }

    private void requireStarted() {
        if (!started || closed) {
            throw new ClacksException("start the node before announcing (and do not use it after close)");
        }
    }

    private <T> T locked(java.util.function.Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the timer, the server and the transport. Queued messages stay readable (peek, queueSize). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (transport != null) {
            transport.close();
        }
    }
}
