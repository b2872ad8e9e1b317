package org.clatter.tools.bench.pipeline;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Optional;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;
import org.clatter.spi.transport.SendResult;

/**
 * A link that sends nowhere: it reads the frame's first byte (so the copy cannot be optimised away), counts
 * the frame and returns {@link SendResult#SENT}. One sending thread (the drainer), as {@link Link} allows.
 */
public final class NullLink implements Link {
    /** Its only address. */
    public static final LinkAddress ADDRESS = new LinkAddress() {
        @Override
        public String kind() {
            return "null";
        }

        @Override
        public byte[] toBytes() {
            return new byte[0];
        }

        @Override
        public String toString() {
            return "null";
        }
    };

    private volatile long sent;
    private long checksum;

    /** Frames sent so far (readable from any thread). */
    public long sent() {
        return sent;
    }

    /** Sum of the first bytes of every frame sent. */
    public long checksum() {
        return checksum;
    }

    @Override
    public LinkInfo info() {
        return new LinkInfo("null", "null", 65536, 0, true, false, true, Duration.ZERO, Duration.ofDays(1), false);
    }

    @Override
    public LinkState state() {
        return LinkState.ACTIVE;
    }

    @Override
    public LinkAddress localAddress() {
        return ADDRESS;
    }

    @Override
    public Optional<LinkAddress> broadcastAddress() {
        return Optional.of(ADDRESS);
    }

    @Override
    public LinkAddress parseAddress(String text) {
        return ADDRESS;
    }

    @Override
    public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
        checksum += frame.get(ValueLayout.JAVA_BYTE, offset);
        sent = sent + 1;
        return SendResult.SENT;
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        return send(ADDRESS, frame, offset, length);
    }

    @Override
    public void start(FrameSink sink) {
        throw new UnsupportedOperationException("the null link receives nothing");
    }

    @Override
    public void addStateListener(LinkStateListener listener) {
    }

    @Override
    public void close() {
    }
}
