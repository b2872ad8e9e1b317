package org.clatter.core.pipeline;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.clatter.core.buffer.BufferPool;
import org.clatter.core.buffer.PacketBuffer;
import org.clatter.core.metrics.Counter;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/**
 * The inbound ring: a multi-producer Disruptor ring of preallocated receive slots that links publish into
 * (several links, each on its own thread, at once) and the {@link EngineLoop} polls.
 *
 * <p>{@link #claim()} never blocks and never fails: when the ring is full the caller gets its thread's
 * overflow slot, which it fills and publishes as usual; the frame is then counted as
 * {@code pipeline.inbound.dropped.ring_full} and goes nowhere, so the link keeps draining its medium and
 * frames after it flow as soon as the engine has caught up. Every claimed ring slot must be published exactly
 * once (with {@link FrameSlot#discard()} if nothing was received), because the ring is ordered.
 */
public final class InboundRing implements FrameSink {
    static final int EMPTY = 0;
    static final int FRAME = 1;
    static final int DISCARDED = 2;

    private final RingBuffer<Slot> ring;
    private final ParkingWaitStrategy waitStrategy;
    private final int slotSize;
    private final Counter droppedRingFull;
    private final ThreadLocal<Slot> overflow;

    /**
     * @param arena        owns the slot memory (close it only after the links and the engine have stopped)
     * @param slots        ring size, a power of two
     * @param slotSize     bytes per slot: the largest frame any link delivers
     * @param waitStrategy woken on every publish (the engine loop sleeps on it)
     * @param counters     where drops are counted
     */
    public InboundRing(Arena arena, int slots, int slotSize, ParkingWaitStrategy waitStrategy, CounterRegistry counters) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("the inbound ring size must be a power of two, got " + slots);
        }
        BufferPool pool = BufferPool.allocate(arena, slots, slotSize);
        int[] next = {0};
        this.ring = RingBuffer.createMultiProducer(() -> new Slot(this, pool.buffer(next[0]++)), slots,
                waitStrategy);
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        this.slotSize = slotSize;
        this.droppedRingFull = counters.counter("pipeline.inbound.dropped.ring_full");
        this.overflow = ThreadLocal.withInitial(this::newOverflowSlot);
    }

    private Slot newOverflowSlot() {
        // One per producer thread, made once, so concurrent links never share an overflow buffer.
        BufferPool one = BufferPool.allocate(Arena.ofAuto(), 1, slotSize);
        Slot s = new Slot(this, one.buffer(0));
        s.sequence = -1;
        return s;
    }

    @Override
    public FrameSlot claim() {
        Slot s;
        try {
            long seq = ring.tryNext();
            s = ring.get(seq);
            s.sequence = seq;
        } catch (InsufficientCapacityException full) {
            s = overflow.get();
        }
        s.reset();
        return s;
    }

    @Override
    public void publish(FrameSlot slot) {
        if (!(slot instanceof Slot s) || s.ring != this) {
            throw new IllegalArgumentException("publish a slot claimed from this ring, got " + slot);
        }
        if (s.sequence < 0) {
            if (s.state == FRAME) {
                droppedRingFull.increment();
            }
            return;
        }
        ring.publish(s.sequence);
    }

    /** Slots in the ring. */
    public int size() {
        return ring.getBufferSize();
    }

    public int slotSize() {
        return slotSize;
    }

    /** Free slots right now (a hint: other producers may be claiming). */
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    ParkingWaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /** A poller for the one consumer; its sequence gates the producers. */
    EventPoller<Slot> newPoller() {
        EventPoller<Slot> p = ring.newPoller();
        ring.addGatingSequences(p.getSequence());
        return p;
    }

    /** Whether the slot after {@code consumed} has been published. */
    boolean isPublished(Sequence consumed) {
        return ring.isAvailable(consumed.get() + 1);
    }

    /** A ring slot: the transport's {@link FrameSlot} and, once published, the engine's {@link InboundFrame}. */
    static final class Slot implements FrameSlot, InboundFrame {
        final InboundRing ring;
        final PacketBuffer buffer;
        long sequence;
        int state;
        Link link;
        LinkAddress source;
        int length;
        long receivedNanos;

        Slot(InboundRing ring, PacketBuffer buffer) {
            this.ring = ring;
            this.buffer = buffer;
        }

        void reset() {
            state = EMPTY;
            length = 0;
            buffer.clearedByteBuffer();
        }

        @Override
        public MemorySegment segment() {
            return buffer.segment();
        }

        @Override
        public ByteBuffer byteBuffer() {
            return buffer.byteBuffer();
        }

        @Override
        public int capacity() {
            return buffer.capacity();
        }

        @Override
        public void received(Link link, LinkAddress source, int length, long receivedNanos) {
            if (length < 0 || length > buffer.capacity()) {
                throw new IllegalArgumentException("frame length " + length + " is outside 0.." + buffer.capacity()
                        + " (the slot size); discard() the slot instead");
            }
            this.link = link;
            this.source = source;
            this.length = length;
            this.receivedNanos = receivedNanos;
            this.state = FRAME;
        }

        @Override
        public void discard() {
            state = DISCARDED;
            length = 0;
        }

        @Override
        public Link link() {
            return link;
        }

        @Override
        public LinkAddress source() {
            return source;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public long receivedNanos() {
            return receivedNanos;
        }

        @Override
        public PacketBuffer buffer() {
            return buffer;
        }

        @Override
        public String toString() {
            return "InboundSlot[seq=" + sequence + ", state=" + state + ", length=" + length + "]";
        }
    }
}
