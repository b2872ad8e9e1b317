package org.clatter.transport.tck;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/**
 * A {@link FrameSink} for tests: it records a copy of every frame a link publishes and checks that the link
 * follows the slot protocol: every claimed slot is filled once ({@code received} or {@code discard}), then
 * published exactly once, with a length within the slot's capacity. Breaches are collected as readable
 * {@link #violations()} rather than thrown, because they happen on the transport's thread.
 *
 * <p>Thread-safe: links may claim and publish from their own threads while a test reads.
 */
public final class RecordingFrameSink implements FrameSink {

    /** One received frame: the link it came in on, its source, a copy of its bytes, and the receive time. */
    public record Frame(Link link, LinkAddress source, byte[] bytes, long receivedNanos) {
        public Frame {
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(source, "source");
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }
    }

    private final int capacity;
    private final Arena arena = Arena.ofAuto();
    private final ArrayDeque<Slot> free = new ArrayDeque<>();
    private final List<Frame> frames = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private long claims;
    private long publishes;
    private long discards;
    private int outstanding;

    /** A sink whose slots hold {@code capacity} bytes each. */
    public RecordingFrameSink(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("slot capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized FrameSlot claim() {
        Slot s = free.poll();
        if (s == null) {
            s = new Slot(arena.allocate(capacity));
        }
        s.claimed = true;
        s.filled = Fill.NONE;
        s.buffer.clear();
        claims++;
        outstanding++;
        return s;
    }

    @Override
    public synchronized void publish(FrameSlot slot) {
        if (!(slot instanceof Slot s)) {
            violations.add("published a slot this sink never handed out: " + slot);
            return;
        }
        if (!s.claimed) {
            violations.add("published a slot twice (or without claiming it)");
            return;
        }
        switch (s.filled) {
            case NONE -> violations.add("published a slot without calling received(...) or discard()");
            case DISCARDED -> discards++;
            case RECEIVED -> {
                byte[] copy = s.segment.asSlice(0, s.length).toArray(ValueLayout.JAVA_BYTE);
                frames.add(new Frame(s.link, s.source, copy, s.nanos));
            }
        }
        s.claimed = false;
        s.link = null;
        s.source = null;
        publishes++;
        outstanding--;
        free.push(s);
        notifyAll();
    }

    /** The frames published so far, oldest first (discarded slots excluded). */
    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** The number of frames published so far. */
    public synchronized int frameCount() {
        return frames.size();
    }

    /** Forgets the recorded frames (counters and violations stay). */
    public synchronized void clearFrames() {
        frames.clear();
    }

    /** Protocol breaches seen so far, in words; empty when the link behaved. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Slots claimed but not yet published. */
    public synchronized int outstanding() {
        return outstanding;
    }

    public synchronized long claims() {
        return claims;
    }

    public synchronized long publishes() {
        return publishes;
    }

    public synchronized long discards() {
        return discards;
    }

    public int capacity() {
        return capacity;
    }

    private synchronized void violation(String what) {
        violations.add(what);
    }

    private enum Fill { NONE, RECEIVED, DISCARDED }

    private final class Slot implements FrameSlot {
        final MemorySegment segment;
        final ByteBuffer buffer;
        boolean claimed;
        Fill filled = Fill.NONE;
        Link link;
        LinkAddress source;
        int length;
        long nanos;

        Slot(MemorySegment segment) {
            this.segment = segment;
            this.buffer = segment.asByteBuffer();
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public ByteBuffer byteBuffer() {
            return buffer;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public void received(Link link, LinkAddress source, int length, long receivedNanos) {
            synchronized (RecordingFrameSink.this) {
                if (!claimed) {
                    violation("received(...) on a slot that is not claimed");
                    return;
                }
                if (filled != Fill.NONE) {
                    violation("received(...) on a slot already " + filled);
                    return;
                }
                if (link == null || source == null) {
                    violation("received(...) with a null link or source");
                    filled = Fill.DISCARDED;
                    return;
                }
                if (length < 0 || length > capacity) {
                    violation("received(...) with length " + length + " outside 0.." + capacity);
                    filled = Fill.DISCARDED;
                    return;
                }
                this.link = link;
                this.source = source;
                this.length = length;
                this.nanos = receivedNanos;
                filled = Fill.RECEIVED;
            }
        }

        @Override
        public void discard() {
            synchronized (RecordingFrameSink.this) {
                if (!claimed) {
                    violation("discard() on a slot that is not claimed");
                    return;
                }
                if (filled != Fill.NONE) {
                    violation("discard() on a slot already " + filled);
                    return;
                }
                filled = Fill.DISCARDED;
            }
        }
    }
}
