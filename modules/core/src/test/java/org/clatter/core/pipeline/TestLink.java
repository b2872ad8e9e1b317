package org.clatter.core.pipeline;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Optional;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;
import org.clatter.spi.transport.SendResult;

/** A link that only counts what it is asked to send; allocation-free on send. */
final class TestLink implements Link {
    record Address(String name) implements LinkAddress {
        @Override
        public String kind() {
            return "test";
        }

        @Override
        public byte[] toBytes() {
            return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static final Address BROADCAST = new Address("*");

    volatile int result = SendResult.SENT;
    volatile RuntimeException toThrow;
    volatile long sent;
    volatile long broadcasts;
    volatile long byteSum;
    volatile long lastFirstWord = -1;
    volatile long senderThreadId = -1;
    volatile boolean outOfOrder;

    @Override
    public LinkInfo info() {
        return new LinkInfo("test", "test", 2048, 0, true, false, true, Duration.ofMillis(10), Duration.ofSeconds(10),
                false);
    }

    @Override
    public LinkState state() {
        return LinkState.ACTIVE;
    }

    @Override
    public LinkAddress localAddress() {
        return new Address("local");
    }

    @Override
    public Optional<LinkAddress> broadcastAddress() {
        return Optional.of(BROADCAST);
    }

    @Override
    public LinkAddress parseAddress(String text) {
        return new Address(text);
    }

    @Override
    public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
        RuntimeException t = toThrow;
        if (t != null) {
            throw t;
        }
        record(frame, offset, length);
        sent = sent + 1;
        return result;
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        record(frame, offset, length);
        broadcasts = broadcasts + 1;
        return result;
    }

    private void record(MemorySegment frame, long offset, int length) {
        if (senderThreadId < 0) {
            senderThreadId = Thread.currentThread().threadId();
        }
        if (length >= 8) {
            long w = org.clatter.core.buffer.Bytes.getU64BE(frame, offset);
            if (w <= lastFirstWord) {
                outOfOrder = true;
            }
            lastFirstWord = w;
        }
        byteSum = byteSum + length;
    }

    @Override
    public void start(FrameSink sink) {
        throw new UnsupportedOperationException("the test link does not receive");
    }

    @Override
    public void addStateListener(LinkStateListener listener) {
    }

    @Override
    public void close() {
    }
}
