package org.clatter.core.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.ProducerType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.clatter.core.buffer.BufferPool;
import org.clatter.core.buffer.Bytes;
import org.clatter.core.buffer.PacketBuffer;
import org.clatter.core.metrics.Counter;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.core.metrics.ErrorLog;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;

/**
 * The outbound ring: preallocated send slots that the engine fills ({@link OutboundPublisher}) and one
 * drainer thread hands to {@link Link#send} / {@link Link#broadcast}, so a slow medium never stalls the
 * engine. Each {@link SendResult} is counted: {@code pipeline.outbound.sent},
 * {@code pipeline.outbound.failed.<result>} (e.g. {@code .back_pressured}), and an exception thrown by a
 * link is reported to the {@link ErrorLog} and counted as {@code pipeline.outbound.failed.exception}.
 */
public final class OutboundRing implements OutboundPublisher {
    /** Slots the drainer sends before releasing them to the producers (a smaller batch frees space sooner). */
    static final int MAX_BATCH = 256;
    static final int EMPTY = 0;
    static final int UNICAST = 1;
    static final int BROADCAST = 2;
    static final int DISCARDED = 3;

    private final RingBuffer<Slot> ring;
    private final ParkingWaitStrategy waitStrategy;
    private final int slotSize;
    private final Counter droppedRingFull;
    private final Counter[] results;
    private final Counter unknownResult;
    private final Counter exceptions;
    private final ErrorLog errorLog;
    private final ThreadLocal<Slot> overflow;
    private final BatchEventProcessor<Slot> drainer;
    private Thread thread;

    /**
     * @param producers {@link ProducerType#SINGLE} when only the engine thread publishes (the default in
     *                  {@link Pipeline}), {@link ProducerType#MULTI} otherwise
     */
    public OutboundRing(Arena arena, int slots, int slotSize, ProducerType producers, ParkingWaitStrategy waitStrategy,
                        CounterRegistry counters, ErrorLog errorLog) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("the outbound ring size must be a power of two, got " + slots);
        }
        BufferPool pool = BufferPool.allocate(arena, slots, slotSize);
        int[] next = {0};
        this.ring = RingBuffer.create(producers, () -> new Slot(this, pool.buffer(next[0]++)), slots, waitStrategy);
        this.waitStrategy = waitStrategy;
        this.slotSize = slotSize;
        this.errorLog = errorLog;
        this.droppedRingFull = counters.counter("pipeline.outbound.dropped.ring_full");
        this.results = new Counter[8];
        for (int code = 0; code > -results.length; code--) {
            results[-code] = counters.counter(code == SendResult.SENT ? "pipeline.outbound.sent"
                    : "pipeline.outbound.failed." + SendResult.describe(code));
        }
        this.unknownResult = counters.counter("pipeline.outbound.failed.other");
        this.exceptions = counters.counter("pipeline.outbound.failed.exception");
        this.overflow = ThreadLocal.withInitial(this::newOverflowSlot);
        this.drainer = new BatchEventProcessorBuilder().setMaxBatchSize(MAX_BATCH).build(ring, ring.newBarrier(), new Drainer());
        ring.addGatingSequences(drainer.getSequence());
    }

    private Slot newOverflowSlot() {
        Slot s = new Slot(this, BufferPool.allocate(Arena.ofAuto(), 1, slotSize).buffer(0));
        s.sequence = -1;
        return s;
    }

    /** Starts the drainer thread. */
    public synchronized void start(String threadName) {
        if (thread != null) {
            throw new IllegalStateException("the outbound drainer is already started");
        }
        thread = Thread.ofPlatform().name(threadName).daemon(true).start(drainer);
    }

    /** Stops the drainer once it has sent what was published before this call, waiting up to a second. */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (drainer.getSequence().get() < ring.getCursor() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        drainer.halt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int send(Link link, LinkAddress destination, MemorySegment frame, long offset, int length) {
        if (length > slotSize) {
            results[-SendResult.TOO_LARGE].increment();
            return SendResult.TOO_LARGE;
        }
        Slot s = claimSlot();
        Bytes.copy(frame, offset, s.buffer.segment(), 0, length);
        s.sendTo(link, destination, length);
        return publish(s);
    }

    @Override
    public int broadcast(Link link, MemorySegment frame, long offset, int length) {
        if (length > slotSize) {
            results[-SendResult.TOO_LARGE].increment();
            return SendResult.TOO_LARGE;
        }
        Slot s = claimSlot();
        Bytes.copy(frame, offset, s.buffer.segment(), 0, length);
        s.broadcastOn(link, length);
        return publish(s);
    }

    @Override
    public OutboundFrame claim() {
        return claimSlot();
    }

    private Slot claimSlot() {
        Slot s;
        try {
            long seq = ring.tryNext();
            s = ring.get(seq);
            s.sequence = seq;
        } catch (InsufficientCapacityException full) {
            s = overflow.get();
        }
        s.state = EMPTY;
        return s;
    }

    @Override
    public int publish(OutboundFrame frame) {
        if (!(frame instanceof Slot s) || s.ring != this) {
            throw new IllegalArgumentException("publish a frame claimed from this ring, got " + frame);
        }
        if (s.sequence < 0) {
            if (s.state == UNICAST || s.state == BROADCAST) {
                droppedRingFull.increment();
            }
            return SendResult.BACK_PRESSURED;
        }
        ring.publish(s.sequence);
        return SendResult.SENT;
    }

    public int size() {
        return ring.getBufferSize();
    }

    public int slotSize() {
        return slotSize;
    }

    ParkingWaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /** Sequence of the last slot the drainer finished with (for tests and benchmarks). */
    public long drainedSequence() {
        return drainer.getSequence().get();
    }

    /** Sequence of the last slot claimed. */
    public long claimedSequence() {
        return ring.getCursor();
    }

    private void count(int code) {
        if (code <= 0 && code > -results.length) {
            results[-code].increment();
        } else {
            unknownResult.increment();
        }
    }

    /**
     * Sends each slot on its link, bracketing consecutive frames for one link with {@link Link#beginBatch()}
     * and {@link Link#endBatch()}: a batch opens at the first frame for a link, stays open while the next
     * frames go to the same link, and closes when the link changes, at Disruptor's {@code endOfBatch} (so no
     * frame is held while the drainer waits for more) and when the drainer stops.
     */
    private final class Drainer implements EventHandler<Slot> {
        /** The link with an open batch, or null. */
        private Link batching;

        @Override
        public void onEvent(Slot s, long sequence, boolean endOfBatch) {
            int state = s.state;
            if (state == UNICAST || state == BROADCAST) {
                Link link = s.link;
                if (link != batching) {
                    closeBatch();
                    open(link);
                }
                try {
                    int r = state == UNICAST
                            ? link.send(s.destination, s.buffer.segment(), 0, s.length)
                            : link.broadcast(s.buffer.segment(), 0, s.length);
                    count(r);
                } catch (RuntimeException | StackOverflowError e) {
                    exceptions.increment();
                    errorLog.record("outbound.send", e);
                }
            }
            if (endOfBatch) {
                closeBatch();
            }
        }

        private void open(Link link) {
            try {
                link.beginBatch();
                batching = link;
            } catch (RuntimeException | StackOverflowError e) {
                exceptions.increment();
                errorLog.record("outbound.beginBatch", e);
            }
        }

        private void closeBatch() {
            Link link = batching;
            if (link == null) {
                return;
            }
            batching = null;
            try {
                link.endBatch();
            } catch (RuntimeException | StackOverflowError e) {
                exceptions.increment();
                errorLog.record("outbound.endBatch", e);
            }
        }

        @Override
        public void onShutdown() {
            closeBatch();
        }
    }

    static final class Slot implements OutboundFrame {
        final OutboundRing ring;
        final PacketBuffer buffer;
        long sequence;
        int state;
        Link link;
        LinkAddress destination;
        int length;

        Slot(OutboundRing ring, PacketBuffer buffer) {
            this.ring = ring;
            this.buffer = buffer;
        }

        @Override
        public PacketBuffer buffer() {
            return buffer;
        }

        @Override
        public void sendTo(Link link, LinkAddress destination, int length) {
            address(link, length);
            this.destination = destination;
            this.state = UNICAST;
        }

        @Override
        public void broadcastOn(Link link, int length) {
            address(link, length);
            this.destination = null;
            this.state = BROADCAST;
        }

        private void address(Link link, int length) {
            if (length < 0 || length > buffer.capacity()) {
                throw new IllegalArgumentException("frame length " + length + " is outside 0.." + buffer.capacity()
                        + " (the slot size)");
            }
            this.link = java.util.Objects.requireNonNull(link, "link");
            this.length = length;
        }

        @Override
        public void discard() {
            state = DISCARDED;
        }

        @Override
        public String toString() {
            return "OutboundSlot[seq=" + sequence + ", state=" + state + ", length=" + length + "]";
        }
    }
}
