package org.clatter.tools.bench.link;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;

/**
 * A link that forwards everything to the link underneath; benchmarks override {@link #send} and {@link #broadcast}
 * to count or drop datagrams. Received frames are handed on as this link's, because a node looks its interface up
 * by the link a frame arrived on and knows only the wrapper.
 */
public abstract class ForwardingLink implements Link {
    protected final Link link;

    protected ForwardingLink(Link link) {
        this.link = link;
    }

    /** The link underneath (for its transport's counters). */
    public Link inner() {
        return link;
    }

    @Override
    public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
        return link.send(destination, frame, offset, length);
    }

    /** Forwarded, so batches reach the inner link (UDP sends a batch's runs of equal frames in one system call). */
    @Override
    public void beginBatch() {
        link.beginBatch();
    }

    @Override
    public void endBatch() {
        link.endBatch();
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        return link.broadcast(frame, offset, length);
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

    /** One reusable slot wrapper: the link underneath claims, fills and publishes one slot at a time. */
    @Override
    public void start(FrameSink sink) {
        link.start(new FrameSink() {
            private final Relabel slot = new Relabel();

            @Override
            public FrameSlot claim() {
                FrameSlot s = sink.claim();
                if (s == null) {
                    return null;
                }
                slot.inner = s;
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
            inner.received(ForwardingLink.this, source, length, receivedNanos);
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
