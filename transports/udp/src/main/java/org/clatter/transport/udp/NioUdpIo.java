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
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.TransportException;

/**
 * The portable socket path: {@code DatagramChannel}s and a selector thread that receives straight into the
 * pipeline's slots.
 *
 * <p>The receive thread claims a slot only when its selector says a socket is readable, so it never holds a
 * ring slot while waiting. Senders' addresses are interned (the JDK hands back the same
 * {@code InetSocketAddress} for a repeated sender, so an identity check usually answers), and sending uses a
 * cached {@code ByteBuffer} view of native segments: steady state allocates nothing.
 */
final class NioUdpIo extends UdpIo {
    private static final int MAX_INTERNED = 4096;
    private static final int MAX_VIEWS = 1024;
    private static final int MAX_READS_PER_WAKEUP = 32;

    private final DatagramChannel unicast;
    private final DatagramChannel broadcastRx;

    // sender side: one sending thread at a time (the SPI's contract)
    private final ByteBuffer sendCopy;
    private final MemorySegment sendCopySegment;
    private final IdentityHashMap<MemorySegment, ByteBuffer> views = new IdentityHashMap<>();

    // receiver side: the selector thread only
    private final Map<SocketAddress, UdpAddress> interned = new HashMap<>();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private Selector selector;
    private FrameSink sink;
    private UdpLink link;
    private UdpAddress local;

    NioUdpIo(UdpLinkSpec spec, UdpSettings settings, UdpStats stats) throws IOException {
        super(stats);
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
            int bound = ((InetSocketAddress) u.getLocalAddress()).getPort();
            InetSocketAddress target = spec.broadcast()
                    .map(t -> new InetSocketAddress(t.getAddress(), bound)).orElse(null);
            if (target != null && settings.bindBroadcast()) {
                b = DatagramChannel.open(family);
                configure(b, settings);
                InetAddress wildcard = v6 ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
                b.bind(new InetSocketAddress(wildcard, bound));
                if (v6) {
                    b.join(target.getAddress(), spec.networkInterface().orElseThrow());
                }
                b.configureBlocking(false);
            }
            this.port = bound;
            this.broadcastTarget = target;
        } catch (IOException | RuntimeException e) {
            closeQuietly(u);
            closeQuietly(b);
            throw e;
        }
        this.unicast = u;
        this.broadcastRx = b;
        this.sendCopy = ByteBuffer.allocateDirect(settings.mtu());
        this.sendCopySegment = MemorySegment.ofBuffer(sendCopy);
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

    @Override
    boolean isNative() {
        return false;
    }

    // ------------------------------------------------------------------ sending

    @Override
    int send(UdpAddress to, MemorySegment frame, long offset, int length) {
        return transmit(to.socketAddress(), frame, offset, length);
    }

    @Override
    int broadcast(MemorySegment frame, long offset, int length) {
        return transmit(broadcastTarget, frame, offset, length);
    }

    private int transmit(InetSocketAddress target, MemorySegment frame, long offset, int length) {
        ByteBuffer buf = view(frame, offset, length);
        try {
            if (unicast.send(buf, target) == 0) {
                stats.backPressured.incrementAndGet();
                return SendResult.BACK_PRESSURED;
            }
            stats.sent.incrementAndGet();
            return SendResult.SENT;
        } catch (ClosedChannelException e) {
            return SendResult.CLOSED;
        } catch (IOException | IllegalStateException e) {
            stats.sendErrors.incrementAndGet();
            return closed ? SendResult.CLOSED : SendResult.IO_ERROR;
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
        stats.copiedSends.incrementAndGet();
        MemorySegment.copy(frame, offset, sendCopySegment, 0, length);
        sendCopy.clear();
        sendCopy.limit(length);
        return sendCopy;
    }

    // ------------------------------------------------------------------ receiving

    @Override
    void start(UdpLink link, UdpAddress local, FrameSink sink) {
        try {
            selector = Selector.open();
            unicast.register(selector, SelectionKey.OP_READ, new Rx(unicast, false));
            if (broadcastRx != null) {
                broadcastRx.register(selector, SelectionKey.OP_READ, new Rx(broadcastRx, true));
            }
        } catch (IOException e) {
            closeQuietly(selector);
            throw new TransportException("cannot start receiving on " + link + ": " + e, e);
        }
        this.link = link;
        this.local = local;
        this.sink = sink;
        interned.put(local.socketAddress(), local);
        startReceiver(local, this::receiveLoop);
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
        while (!closed) {
            try {
                selector.select(onReady);
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                stats.receiveErrors.incrementAndGet();
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid() || !key.isReadable() || closed) {
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
                    stats.ownBroadcasts.incrementAndGet();
                    slot.discard();
                } else {
                    slot.received(link, source, slot.byteBuffer().position(), System.nanoTime());
                    stats.received.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            stats.receiveErrors.incrementAndGet();
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
    void wakeReceiver() {
        selector.wakeup();
    }

    @Override
    void closeSockets() {
        closeQuietly(unicast);
        closeQuietly(broadcastRx);
        closeQuietly(selector);
    }
}
