package org.clatter.transport.udp;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
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
 *   kernel ──► unicast socket ───┐                    ┌─► claim slot ─► receive(slot.byteBuffer())
 *   kernel ──► broadcast socket ─┴─► selector thread ─┤   ─► received(link, interned source) ─► publish
 *                                                     └─► own broadcast? discard ─► publish
 * </pre>
 *
 * <p>The receive thread claims a slot only when its selector says a socket is readable, so it never holds a
 * ring slot while waiting. Senders' addresses are interned (the JDK hands back the same
 * {@code InetSocketAddress} for a repeated sender, so an identity check usually answers), and sending uses a
 * cached {@code ByteBuffer} view of native segments: steady state allocates nothing.
 */
final class UdpLink implements Link {
    private static final int MAX_INTERNED = 4096;
    private static final int MAX_VIEWS = 1024;
    private static final int MAX_READS_PER_WAKEUP = 32;

    private final UdpTransport owner;
    private final UdpLinkSpec spec;
    private final LinkInfo info;
    private final UdpAddress local;
    private final Optional<LinkAddress> broadcastAddress;
    private final InetSocketAddress broadcastTarget;
    private final DatagramChannel unicast;
    private final DatagramChannel broadcastRx;
    private final List<LinkStateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile LinkState state;

    // sender side: one sending thread at a time (the SPI's contract)
    private final ByteBuffer sendCopy;
    private final MemorySegment sendCopySegment;
    private final IdentityHashMap<MemorySegment, ByteBuffer> views = new IdentityHashMap<>();

    // receiver side: the selector thread only
    private final Map<SocketAddress, UdpAddress> interned = new HashMap<>();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private Selector selector;
    private Thread receiver;
    private FrameSink sink;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ownBroadcasts = new AtomicLong();
    private final AtomicLong backPressured = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong copiedSends = new AtomicLong();

    UdpLink(UdpTransport owner, UdpLinkSpec spec, UdpSettings settings) {
        this.owner = owner;
        this.spec = spec;
        InetAddress ip = spec.bind().getAddress();
        boolean v6 = ip instanceof Inet6Address;
        ProtocolFamily family = v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel u = null;
        DatagramChannel b = null;
        try {
            u = DatagramChannel.open(family);
            configure(u, settings);
            if (!v6) {
                u.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (v6 && spec.networkInterface().isPresent()) {
                u.setOption(StandardSocketOptions.IP_MULTICAST_IF, spec.networkInterface().get());
                u.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            }
            u.bind(spec.bind());
            u.configureBlocking(false);
            InetSocketAddress bound = (InetSocketAddress) u.getLocalAddress();
            this.local = new UdpAddress(new InetSocketAddress(ip, bound.getPort()));
            InetSocketAddress target = spec.broadcast()
                    .map(t -> new InetSocketAddress(t.getAddress(), bound.getPort())).orElse(null);
            if (target != null && settings.bindBroadcast()) {
                b = DatagramChannel.open(family);
                configure(b, settings);
                InetAddress wildcard = v6 ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
                b.bind(new InetSocketAddress(wildcard, bound.getPort()));
                if (v6) {
                    b.join(target.getAddress(), spec.networkInterface().orElseThrow());
                }
                b.configureBlocking(false);
            }
            this.broadcastTarget = target;
        } catch (IOException | RuntimeException e) {
            closeQuietly(u);
            closeQuietly(b);
            throw new TransportException("cannot open UDP link " + spec.text() + ": " + e
                    + (e instanceof java.net.BindException
                            ? "; is the address configured on an interface (ip addr add ... dev lo), and does every"
                                    + " other user of the port set SO_REUSEPORT (udp.reuse_port=on)?"
                            : ""), e);
        }
        this.unicast = u;
        this.broadcastRx = b;
        this.broadcastAddress = Optional.ofNullable(broadcastTarget).map(t -> (LinkAddress) new UdpAddress(t));
        this.sendCopy = ByteBuffer.allocateDirect(settings.mtu());
        this.sendCopySegment = MemorySegment.ofBuffer(sendCopy);
        this.info = new LinkInfo("udp:" + spec.text(), UdpAddress.KIND, settings.mtu(), 0, broadcastTarget != null,
                false, true, Duration.ofMillis(500), Duration.ofMillis(2500), false);
        interned.put(local.socketAddress(), local);
        this.state = LinkState.ACTIVE;
    }

    private static void configure(DatagramChannel ch, UdpSettings settings) throws IOException {
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (settings.reusePort() && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        if (settings.receiveBuffer() > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBuffer());
        }
        if (settings.sendBuffer() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, settings.sendBuffer());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on the way out of a failed open or a close: nothing more to do
            }
        }
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
        return new UdpLinkCounters(received.get(), sent.get(), ownBroadcasts.get(), backPressured.get(),
                receiveErrors.get(), sendErrors.get(), copiedSends.get());
    }

    // ------------------------------------------------------------------ sending

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
        return transmit(to.socketAddress(), frame, offset, length);
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        if (state == LinkState.DISABLED) {
            return SendResult.CLOSED;
        }
        if (broadcastTarget == null) {
            return SendResult.NO_BROADCAST;
        }
        if (length < 0 || length > info.mtu()) {
            return SendResult.TOO_LARGE;
        }
        return transmit(broadcastTarget, frame, offset, length);
    }

    private int transmit(InetSocketAddress target, MemorySegment frame, long offset, int length) {
        ByteBuffer buf = view(frame, offset, length);
        try {
            if (unicast.send(buf, target) == 0) {
                backPressured.incrementAndGet();
                return SendResult.BACK_PRESSURED;
            }
            sent.incrementAndGet();
            return SendResult.SENT;
        } catch (ClosedChannelException e) {
            return SendResult.CLOSED;
        } catch (IOException | IllegalStateException e) {
            sendErrors.incrementAndGet();
            return state == LinkState.DISABLED ? SendResult.CLOSED : SendResult.IO_ERROR;
        }
    }

    /**
     * The frame as a direct buffer positioned on it: a cached view of a native segment (the pipeline's slots
     * are a fixed set of segments), or a copy into this link's own direct buffer.
     */
    private ByteBuffer view(MemorySegment frame, long offset, int length) {
        if (frame.isNative() && frame.byteSize() <= Integer.MAX_VALUE) {
            ByteBuffer b = views.get(frame);
            if (b == null) {
                if (views.size() >= MAX_VIEWS) {
                    views.clear();
                }
                b = frame.asByteBuffer();
                views.put(frame, b);
            }
            b.clear();
            b.position((int) offset);
            b.limit((int) offset + length);
            return b;
        }
        copiedSends.incrementAndGet();
        MemorySegment.copy(frame, offset, sendCopySegment, 0, length);
        sendCopy.clear();
        sendCopy.limit(length);
        return sendCopy;
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public synchronized void start(FrameSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (this.sink != null) {
            throw new IllegalStateException("link " + info.name() + " is already started");
        }
        if (state == LinkState.DISABLED) {
            throw new IllegalStateException("link " + info.name() + " is closed; open a new one");
        }
        try {
            selector = Selector.open();
            unicast.register(selector, SelectionKey.OP_READ, new Rx(unicast, false));
            if (broadcastRx != null) {
                broadcastRx.register(selector, SelectionKey.OP_READ, new Rx(broadcastRx, true));
            }
        } catch (IOException e) {
            closeQuietly(selector);
            throw new TransportException("cannot start receiving on " + info.name() + ": " + e, e);
        }
        this.sink = sink;
        receiver = Thread.ofPlatform().daemon().name("clatter-udp-rx-" + local).unstarted(this::receiveLoop);
        receiver.start();
    }

    /** Per-socket receive state: the identity cache of the last sender. */
    private static final class Rx {
        final DatagramChannel channel;
        final boolean broadcast;
        SocketAddress lastFrom;
        UdpAddress lastAddress;
        /** Reads to try at the next wake-up: grows while the socket keeps having more queued. */
        int budget = 1;

        Rx(DatagramChannel channel, boolean broadcast) {
            this.channel = channel;
            this.broadcast = broadcast;
        }
    }

    private void receiveLoop() {
        while (state != LinkState.DISABLED) {
            try {
                selector.select(onReady);
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                receiveErrors.incrementAndGet();
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid() || !key.isReadable() || state == LinkState.DISABLED) {
            return;
        }
        Rx rx = (Rx) key.attachment();
        // Drain a burst per wake-up rather than one select per datagram. A read that finds the socket empty
        // costs a discarded slot, so the budget grows while bursts fill it and drops back to 1 when one does not.
        int budget = rx.budget;
        for (int i = 0; i < budget; i++) {
            if (!receiveOne(rx)) {
                rx.budget = 1;
                return;
            }
        }
        rx.budget = Math.min(budget * 2, MAX_READS_PER_WAKEUP);
    }

    /** Reads one datagram into a claimed slot; false if the socket was empty. */
    private boolean receiveOne(Rx rx) {
        FrameSlot slot = sink.claim();
        boolean got = false;
        try {
            SocketAddress from = rx.channel.receive(slot.byteBuffer());
            if (from == null) {
                slot.discard();
            } else {
                got = true;
                UdpAddress source = intern(rx, from);
                if (rx.broadcast && source == local) {
                    ownBroadcasts.incrementAndGet();
                    slot.discard();
                } else {
                    slot.received(this, source, slot.byteBuffer().position(), System.nanoTime());
                    received.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            receiveErrors.incrementAndGet();
            slot.discard();
        }
        sink.publish(slot);
        return got;
    }

    private UdpAddress intern(Rx rx, SocketAddress from) {
        if (from == rx.lastFrom) {
            return rx.lastAddress;
        }
        UdpAddress a = interned.get(from);
        if (a == null) {
            if (interned.size() >= MAX_INTERNED) {
                interned.clear();
                interned.put(local.socketAddress(), local);
            }
            a = new UdpAddress((InetSocketAddress) from);
            interned.put(from, a);
        }
        rx.lastFrom = from;
        rx.lastAddress = a;
        return a;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void addStateListener(LinkStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        LinkState previous;
        Thread rxThread;
        synchronized (this) {
            previous = state;
            if (previous == LinkState.DISABLED) {
                return;
            }
            state = LinkState.DISABLED;
            rxThread = receiver;
            if (selector != null) {
                selector.wakeup();
            }
        }
        if (rxThread != null && rxThread != Thread.currentThread()) {
            try {
                rxThread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(unicast);
        closeQuietly(broadcastRx);
        closeQuietly(selector);
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
