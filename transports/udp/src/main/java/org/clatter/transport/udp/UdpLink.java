package org.clatter.transport.udp;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.TransportException;

/**
 * One UDP interface: a unicast socket bound to {@code ADDR:PORT} (sends everything, receives unicast) and,
 * when the link broadcasts, a socket on the wildcard address and the same port that hears broadcasts
 * (both with SO_REUSEADDR and SO_REUSEPORT, as servald binds them).
 *
 * <pre>
 *   kernel ──► unicast socket ───┐                   ┌─► claim slot ─► copy / receive into it
 *   kernel ──► broadcast socket ─┴─► receive thread ─┤   ─► received(link, interned source) ─► publish
 *                                                    └─► own broadcast? drop
 * </pre>
 *
 * <p>The sockets are either Linux's, driven through FFM ({@link NativeUdpIo}: segmentation offload on send
 * inside a {@link #beginBatch() batch}, coalesced receives), or {@code DatagramChannel}s ({@link NioUdpIo}),
 * chosen by {@code udp.native}. This class checks state, length and address kind, and owns the lifecycle.
 */
final class UdpLink implements Link {
    private final UdpTransport owner;
    private final LinkInfo info;
    private final UdpAddress local;
    private final Optional<LinkAddress> broadcastAddress;
    private final UdpIo io;
    private final UdpStats stats = new UdpStats();
    private final List<LinkStateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile LinkState state;
    private boolean started;

    UdpLink(UdpTransport owner, UdpLinkSpec spec, UdpSettings settings) {
        this.owner = owner;
        InetAddress ip = spec.bind().getAddress();
        try {
            this.io = useNative(settings) ? new NativeUdpIo(spec, settings, stats) : new NioUdpIo(spec, settings, stats);
        } catch (IOException | RuntimeException e) {
            throw new TransportException("cannot open UDP link " + spec.text() + ": " + e
                    + (e instanceof java.net.BindException
                            ? "; is the address configured on an interface (ip addr add ... dev lo), and does every"
                                    + " other user of the port set SO_REUSEPORT (udp.reuse_port=on)?"
                            : ""), e);
        }
        this.local = new UdpAddress(new InetSocketAddress(ip, io.boundPort()));
        Optional<InetSocketAddress> target = io.broadcastTarget();
        this.broadcastAddress = target.map(t -> (LinkAddress) new UdpAddress(t));
        this.info = new LinkInfo("udp:" + spec.text(), UdpAddress.KIND, settings.mtu(), 0, target.isPresent(),
                false, true, Duration.ofMillis(500), Duration.ofMillis(2500), false);
        this.state = LinkState.ACTIVE;
    }

    /** Whether {@code udp.native} picks the native path here; {@code on} where it is unavailable fails. */
    static boolean useNative(UdpSettings settings) {
        return useNative(settings.nativeMode(), settings.nativeMode() == UdpSettings.NativeMode.OFF
                ? Optional.empty() : LinuxSys.unavailabilityCause());
    }

    /** The choice, given why the native path is unavailable (empty: it is available). */
    static boolean useNative(UdpSettings.NativeMode mode, Optional<String> why) {
        return switch (mode) {
            case OFF -> false;
            case AUTO -> why.isEmpty();
            case ON -> {
                if (why.isPresent()) {
                    throw new TransportException("udp.native=on but " + why.get()
                            + "; set udp.native=auto (or off) to use the portable DatagramChannel path");
                }
                yield true;
            }
        };
    }

    @Override
    public LinkInfo info() {
        return info;
    }

    @Override
    public LinkState state() {
        return state;
    }

    @Override
    public LinkAddress localAddress() {
        return local;
    }

    @Override
    public Optional<LinkAddress> broadcastAddress() {
        return broadcastAddress;
    }

    @Override
    public LinkAddress parseAddress(String text) {
        return UdpAddress.parse(text);
    }

    /** Counters so far. */
    UdpLinkCounters counters() {
        return stats.snapshot(io.isNative());
    }

    /** The sockets underneath (tests). */
    UdpIo io() {
        return io;
    }

    // ------------------------------------------------------------------ sending

    @Override
    public void beginBatch() {
        io.beginBatch();
    }

    @Override
    public void endBatch() {
        if (state != LinkState.DISABLED) {
            io.endBatch();
        }
    }

    @Override
    public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
        if (state == LinkState.DISABLED) {
            return SendResult.CLOSED;
        }
        if (length < 0 || length > info.mtu()) {
            return SendResult.TOO_LARGE;
        }
        if (!(destination instanceof UdpAddress to) || to.isIpv6() != local.isIpv6()) {
            return SendResult.UNREACHABLE;
        }
        return io.send(to, frame, offset, length);
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        if (state == LinkState.DISABLED) {
            return SendResult.CLOSED;
        }
        if (broadcastAddress.isEmpty()) {
            return SendResult.NO_BROADCAST;
        }
        if (length < 0 || length > info.mtu()) {
            return SendResult.TOO_LARGE;
        }
        return io.broadcast(frame, offset, length);
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public synchronized void start(FrameSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (started) {
            throw new IllegalStateException("link " + info.name() + " is already started");
        }
        if (state == LinkState.DISABLED) {
            throw new IllegalStateException("link " + info.name() + " is closed; open a new one");
        }
        io.start(this, local, sink);
        started = true;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void addStateListener(LinkStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        LinkState previous;
        synchronized (this) {
            previous = state;
            if (previous == LinkState.DISABLED) {
                return;
            }
            state = LinkState.DISABLED;
        }
        io.close();
        owner.closed(this);
        for (LinkStateListener l : listeners) {
            try {
                l.stateChanged(this, previous, LinkState.DISABLED);
            } catch (RuntimeException e) {
                // a listener's failure must not stop the others from hearing of the close
            }
        }
    }

    @Override
    public String toString() {
        return info.name();
    }
}
