package org.clatter.transport.udp;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.clatter.spi.transport.FrameSink;

/**
 * The sockets under one {@link UdpLink}: the portable {@link NioUdpIo} ({@code DatagramChannel} and a selector)
 * or the Linux {@link NativeUdpIo} (FFM system calls with segmentation offload). The link checks state, length
 * and address kind; this moves the bytes and counts into the link's {@link UdpStats}.
 */
abstract sealed class UdpIo permits NioUdpIo, NativeUdpIo {
    final UdpStats stats;
    /** Set by the subclass's constructor once the unicast socket is bound. */
    int port;
    /** Set by the subclass's constructor: null when the link does not broadcast. */
    InetSocketAddress broadcastTarget;

    UdpIo(UdpStats stats) {
        this.stats = stats;
    }

    /** The port the unicast socket is bound to. */
    final int boundPort() {
        return port;
    }

    /** Where broadcasts go (subnet broadcast or {@code ff02::1} on the bound port), if the link broadcasts. */
    final Optional<InetSocketAddress> broadcastTarget() {
        return Optional.ofNullable(broadcastTarget);
    }

    /** Sends a checked frame (length within the MTU, destination of the link's family). */
    abstract int send(UdpAddress to, MemorySegment frame, long offset, int length);

    /** Sends a checked frame to {@link #broadcastTarget()}, which is present. */
    abstract int broadcast(MemorySegment frame, long offset, int length);

    /** See {@link org.clatter.spi.transport.Link#beginBatch()}; the default sends everything at once. */
    void beginBatch() {
    }

    /** See {@link org.clatter.spi.transport.Link#endBatch()}. */
    void endBatch() {
    }

    /** Set once by {@link #close()}; the receive thread and the sender check it. */
    volatile boolean closed;
    private Thread receiver;

    /** Starts the receive thread, which writes into {@code sink} until {@link #close()}. */
    abstract void start(UdpLink link, UdpAddress local, FrameSink sink);

    /** Starts {@code loop} on the link's receive thread ({@code clatter-udp-rx-ADDRESS}). */
    final void startReceiver(UdpAddress local, Runnable loop) {
        Thread t = Thread.ofPlatform().daemon().name("clatter-udp-rx-" + local).unstarted(loop);
        synchronized (this) {
            receiver = t;
        }
        t.start();
    }

    /** Wakes and joins the receive thread, then closes the sockets; idempotent. */
    final void close() {
        Thread rxThread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            rxThread = receiver;
        }
        if (rxThread != null) {
            wakeReceiver();
            join(rxThread);
        }
        closeSockets();
    }

    /** Makes the receive thread, blocked waiting for datagrams, return and see {@link #closed}. */
    abstract void wakeReceiver();

    /** Closes the sockets, after the receive thread has ended (or never started). */
    abstract void closeSockets();

    /** Whether this is the native Linux path. */
    abstract boolean isNative();

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on the way out of a failed open or a close: nothing more to do
            }
        }
    }

    static void join(Thread t) {
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
