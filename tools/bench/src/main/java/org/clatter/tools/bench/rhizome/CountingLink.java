package org.clatter.tools.bench.rhizome;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;
import org.clatter.spi.transport.SendResult;

/**
 * A link that counts the UDP payload bytes and datagrams it hands to the kernel (the UDP transport's own
 * counters have datagrams but not bytes). On the wire each datagram also carries {@value #HEADER_BYTES} bytes of
 * headers as loopback counts them (Ethernet 14, IPv4 20, UDP 8).
 */
final class CountingLink implements Link {
    /** Header bytes per datagram on loopback, as {@code ip -s link show lo} counts them. */
    static final int HEADER_BYTES = 14 + 20 + 8;

    private final Link link;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();

    CountingLink(Link link) {
        this.link = link;
    }

    /** The link underneath (for its transport's counters). */
    Link inner() {
        return link;
    }

    long bytes() {
        return bytes.get();
    }

    long datagrams() {
        return datagrams.get();
    }

    /** Bytes on the wire: payloads plus headers. */
    long wireBytes() {
        return bytes.get() + datagrams.get() * HEADER_BYTES;
    }

    private int counted(int result, int length) {
        if (result == SendResult.SENT) {
            bytes.addAndGet(length);
            datagrams.incrementAndGet();
        }
        return result;
    }

    @Override
    public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
        return counted(link.send(destination, frame, offset, length), length);
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        return counted(link.broadcast(frame, offset, length), length);
    }

    @Override
    public LinkInfo info() {
        return link.info();
    }

    @Override
    public LinkState state() {
        return link.state();
    }

    @Override
    public LinkAddress localAddress() {
        return link.localAddress();
    }

    @Override
    public Optional<LinkAddress> broadcastAddress() {
        return link.broadcastAddress();
    }

    @Override
    public LinkAddress parseAddress(String text) {
        return link.parseAddress(text);
    }

    /**
     * Frames from the link underneath are handed on as this link's, so that the node (which knows only this
     * wrapper) finds their interface. One reusable slot wrapper: the UDP link claims, fills and publishes one slot
     * at a time on its receive thread.
     */
    @Override
    public void start(FrameSink sink) {
        link.start(new FrameSink() {
            private final Relabel slot = new Relabel();

            @Override
            public FrameSlot claim() {
                slot.inner = sink.claim();
                return slot;
            }

            @Override
            public void publish(FrameSlot s) {
                sink.publish(s == slot ? slot.inner : s);
            }
        });
    }

    private final class Relabel implements FrameSlot {
        FrameSlot inner;

        @Override
        public MemorySegment segment() {
            return inner.segment();
        }

        @Override
        public ByteBuffer byteBuffer() {
            return inner.byteBuffer();
        }

        @Override
        public int capacity() {
            return inner.capacity();
        }

        @Override
        public void received(Link from, LinkAddress source, int length, long receivedNanos) {
            inner.received(CountingLink.this, source, length, receivedNanos);
        }

        @Override
        public void discard() {
            inner.discard();
        }
    }

    @Override
    public void addStateListener(LinkStateListener listener) {
        link.addStateListener(listener);
    }

    @Override
    public void close() {
        link.close();
    }
}
