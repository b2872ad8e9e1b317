package org.clatter.clacks.mdp;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.clatter.clacks.ClacksDatagrams;
import org.clatter.clacks.ClacksException;
import org.clatter.clacks.PeerAddress;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine.Security;
import org.clatter.mdp.node.Datagram;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.MdpSocket;

/**
 * {@link ClacksDatagrams} over an {@link MdpNode}'s sockets: crypted unicast ({@code crypto_box} to the peer's
 * SID, so the sender SID of a received request is authenticated) between the nodes' Clacks ports. A mesh peer is
 * the Clacks address {@code sid-<64 hex digits>:<MDP port>} ({@link #address}).
 *
 * <p>The port is {@link #PORT} (193) unless told otherwise: Serval's well-known ports are below 64 and servald
 * allocates ephemeral ports from 257, so 64..256 is never used by Serval. Datagrams up to {@link #MAX_DATAGRAM}
 * bytes are carried (one MDP frame in a 1200-byte overlay packet with full addresses and the box overhead); the
 * Clacks request header takes 9, so a request body may be at most {@link #MAX_BODY} bytes. Larger bodies are
 * refused ({@link #send} returns false, counted as {@code too_large}; the transport completes the request as
 * {@code TOO_LARGE}, the node counts {@code send.too_large}, keeps the peer's status and re-queues the message for
 * peers on other carriers): give mesh nodes {@code maxMessageBytes(}{@link #MAX_MESSAGE}{@code )} so
 * {@code enqueue} refuses them up front with {@code TOO_LARGE}.
 *
 * <p>Sends never block: each is handed to the node's engine thread (on real time {@link MdpNode#call}; on
 * virtual time an {@link Executor} that runs tasks on the scheduler's thread). A send with no route is counted
 * ({@code no_route}) and the request times out, so the message is re-queued. Received datagrams that are not
 * crypted, or come from a port above 65535, are dropped and counted.
 *
 * <pre>{@code
 * MdpNode mdp = MdpNode.realTime(crypto, identities, seed).addInterface("udp:127.0.0.1/8", List.of()).start();
 * MdpClacksDatagrams dg = MdpClacksDatagrams.open(mdp);
 * DatagramClacksTransport mesh = new DatagramClacksTransport(dg, Duration.ofSeconds(10));
 * ClacksNode node = ClacksNode.create(ClacksOptions.builder().hostname(dg.self().hostname())
 *         .port(dg.self().port()).maxMessageBytes(MdpClacksDatagrams.MAX_MESSAGE).build(), mesh);
 * mesh.bind(node);
 * node.start();
 * node.addPeer(MdpClacksDatagrams.address(otherSid, MdpClacksDatagrams.PORT));
 * }</pre>
 */
public final class MdpClacksDatagrams implements ClacksDatagrams, AutoCloseable {
    /** The default MDP port of Clacks: between Serval's well-known ports (below 64) and its ephemeral ones (257+). */
    public static final int PORT = 193;
    /** The largest Clacks datagram carried in one MDP frame. */
    public static final int MAX_DATAGRAM = 1000;
    /** The largest Clacks request body over MDP (the datagram less the 9-byte request header). */
    public static final int MAX_BODY = MAX_DATAGRAM - 9;
    /** A {@code maxMessageBytes} that keeps message plus envelope (sender, friend, id, signature) within a body. */
    public static final int MAX_MESSAGE = 512;
    private static final String PREFIX = "sid-";

    private final MdpNode node;
    private final Executor engineThread;
    private final int port;
    private final Sid sid;
    private volatile MdpSocket socket;
    private volatile BiConsumer<PeerAddress, byte[]> receiver;
    private volatile boolean closed;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong badAddress = new AtomicLong();
    private final AtomicLong noRoute = new AtomicLong();
    private final AtomicLong notCrypted = new AtomicLong();
    private final AtomicLong badPort = new AtomicLong();
    private final AtomicLong early = new AtomicLong();

    private MdpClacksDatagrams(MdpNode node, int port, Executor engineThread) {
        this.node = node;
        this.port = port;
        this.engineThread = engineThread;
        this.sid = node.sid();
    }

    /** Binds {@link #PORT} on a real-time node's primary identity. */
    public static MdpClacksDatagrams open(MdpNode node) {
        return open(node, PORT);
    }

    /** Binds {@code port} (1..65535) on a real-time node's primary identity. */
    public static MdpClacksDatagrams open(MdpNode node, int port) {
        return open(node, port, task -> node.call(now -> {
            task.run();
            return null;
        }));
    }

    /**
     * Binds {@code port} on {@code node}'s primary identity, running every socket call through
     * {@code engineThread}, which must run tasks on the node's engine thread (for a simulated node: the
     * scheduler's thread) and must not run them on the caller's thread unless that is the engine thread. Waits up
     * to 10 s for the bind.
     *
     * @throws ClacksException if the port is outside 1..65535 or already bound, or the bind did not happen in time
     */
    public static MdpClacksDatagrams open(MdpNode node, int port, Executor engineThread) {
        if (port < 1 || port > 65535) {
            throw new ClacksException("Clacks MDP port " + port + " is outside 1..65535 (Clacks addresses carry a"
                    + " 16-bit port); use MdpClacksDatagrams.PORT (" + PORT + ")");
        }
        MdpClacksDatagrams d = new MdpClacksDatagrams(node, port, engineThread);
        CompletableFuture<MdpSocket> bound = new CompletableFuture<>();
        engineThread.execute(() -> {
            try {
                bound.complete(node.sockets().bind(node.sid(), port, d::datagram));
            } catch (RuntimeException e) {
                bound.completeExceptionally(e);
            }
        });
        try {
            d.socket = bound.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ClacksException("cannot bind Clacks on MDP port " + port + ": " + e.getCause().getMessage()
                    + "; pick another port");
        } catch (TimeoutException e) {
            throw new ClacksException("binding Clacks on MDP port " + port + " took over 10 s; is the node started and"
                    + " does the executor run tasks on its engine thread?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClacksException("interrupted while binding Clacks on MDP port " + port);
        }
        return d;
    }

    /** The Clacks address of {@code sid}'s Clacks socket on {@code port}: {@code sid-<hex>:<port>}. */
    public static PeerAddress address(Sid sid, int port) {
        return new PeerAddress(PREFIX + sid.toString(), port);
    }

    /** The SID a {@code sid-<64 hex>} Clacks address names; empty for any other address. */
    public static Optional<Sid> sidOf(PeerAddress address) {
        String h = address.hostname();
        if (!h.startsWith(PREFIX) || h.length() != PREFIX.length() + 2 * Sid.BYTES) {
            return Optional.empty();
        }
        String hex = h.substring(PREFIX.length());
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(Sid.of(HexFormat.of().parseHex(hex)));
    }

    /** This node's Clacks address on the mesh: give it to {@code ClacksOptions.hostname/port} or {@code advertise}. */
    public PeerAddress self() {
        return address(sid, port);
    }

    @Override
    public int maxDatagram() {
        return MAX_DATAGRAM;
    }

    @Override
    public boolean send(PeerAddress to, byte[] datagram) {
        if (closed) {
            return false;
        }
        if (datagram.length > MAX_DATAGRAM) {
            tooLarge.incrementAndGet();
            return false;
        }
        Optional<Sid> dest = sidOf(to);
        if (dest.isEmpty() || dest.get().equals(Sid.BROADCAST) || dest.get().equals(Sid.ANY)) {
            badAddress.incrementAndGet();
            return false;
        }
        byte[] copy = datagram.clone();
        Sid d = dest.get();
        int dstPort = to.port();
        engineThread.execute(() -> {
            MdpSocket s = socket;
            if (closed || s == null) {
                return;
            }
            if (s.send(d, dstPort, Security.CRYPTED, copy)) {
                sent.incrementAndGet();
            } else {
                noRoute.incrementAndGet();
            }
        });
        return true;
    }

    @Override
    public void onDatagram(BiConsumer<PeerAddress, byte[]> receiver) {
        this.receiver = receiver;
    }

    private void datagram(Datagram d) {
        if (d.security() != Security.CRYPTED) {
            notCrypted.incrementAndGet();
            return;
        }
        if (d.fromPort() < 1 || d.fromPort() > 65535) {
            badPort.incrementAndGet();
            return;
        }
        BiConsumer<PeerAddress, byte[]> r = receiver;
        if (r == null || closed) {
            early.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        r.accept(address(d.from(), (int) d.fromPort()), d.data());
    }

    /** {@code sent}, {@code received}, {@code too_large}, {@code bad_address}, {@code no_route}, ... */
    public Map<String, Long> counters() {
        return Map.of("sent", sent.get(), "received", received.get(), "too_large", tooLarge.get(),
                "bad_address", badAddress.get(), "no_route", noRoute.get(), "not_crypted", notCrypted.get(),
                "bad_port", badPort.get(), "before_receiver", early.get());
    }

    /** Unbinds the port (on the engine thread). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MdpSocket s = socket;
        if (s != null) {
            engineThread.execute(s::close);
        }
    }
}
