package org.clatter.core.pipeline;

import com.lmax.disruptor.dsl.ProducerType;
import java.lang.foreign.Arena;
import java.util.Objects;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.core.metrics.ErrorLog;
import org.clatter.spi.transport.FrameSink;

/**
 * One node's packet pipeline, assembled: links publish into the {@link InboundRing}, the {@link EngineLoop}
 * feeds the engine, the engine sends through the {@link OutboundRing}, whose drainer calls the links.
 *
 * <pre>
 *   transports                inbound ring            engine thread               outbound ring         links
 *   Link.start(inbound()) --&gt; [ | | | | | ] --poll--&gt; EngineLoop ---------------&gt; [ | | | | | ] --&gt; Link.send
 *     claim, fill,             multi-producer         PacketHandler.onFrame       single-producer       Link.broadcast
 *     received/discard,        (full: overflow        timers, tasks from          drainer thread        (SendResult
 *     publish                   slot, dropped)        other threads               counts results         counted)
 * </pre>
 *
 * <p>Use:
 * <pre>{@code
 * try (Pipeline p = Pipeline.builder().name("node1").build()) {
 *     MyEngine engine = new MyEngine(p.engine(), p.outbound());  // Scheduler + OutboundPublisher
 *     p.start(engine);                                            // engine implements PacketHandler
 *     link.start(p.inbound());
 *     ...
 * }   // close the links first: their threads write into the pipeline's memory
 * }</pre>
 */
public final class Pipeline implements AutoCloseable {
    private final Arena arena;
    private final CounterRegistry counters;
    private final ErrorLog errorLog;
    private final InboundRing inbound;
    private final OutboundRing outbound;
    private final EngineLoop engine;
    private final String name;
    private boolean started;
    private boolean closed;

    private Pipeline(Builder b) {
        this.name = b.name;
        this.counters = b.counters;
        this.errorLog = b.errorLog;
        this.arena = Arena.ofShared();
        this.inbound = new InboundRing(arena, b.inboundSlots, b.slotSize, new ParkingWaitStrategy(), counters);
        this.outbound = new OutboundRing(arena, b.outboundSlots, b.slotSize, b.outboundProducers,
                new ParkingWaitStrategy(), counters, errorLog);
        this.engine = new EngineLoop(name + "-engine", inbound, counters, errorLog);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where links put what they receive: pass it to {@link org.clatter.spi.transport.Link#start}. */
    public FrameSink inbound() {
        return inbound;
    }

    /** The inbound ring itself (sizes, capacity). */
    public InboundRing inboundRing() {
        return inbound;
    }

    /** Where the engine sends. */
    public OutboundPublisher outbound() {
        return outbound;
    }

    public OutboundRing outboundRing() {
        return outbound;
    }

    /** The engine thread's real-time {@link org.clatter.core.time.Scheduler}. */
    public EngineLoop engine() {
        return engine;
    }

    public CounterRegistry counters() {
        return counters;
    }

    public ErrorLog errorLog() {
        return errorLog;
    }

    /** Starts the outbound drainer and the engine thread, which feeds {@code handler}. */
    public synchronized void start(PacketHandler handler) {
        if (started) {
            throw new IllegalStateException("pipeline '" + name + "' is already started");
        }
        if (closed) {
            throw new IllegalStateException("pipeline '" + name + "' is closed; build a new one");
        }
        started = true;
        outbound.start(name + "-outbound");
        engine.start(handler);
    }

    /**
     * Stops the engine, lets the drainer send what was queued, and frees the slot memory. Close the links
     * first. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.close();
        outbound.stop();
        arena.close();
    }

    /** Sizes and shared services of a {@link Pipeline}. */
    public static final class Builder {
        private String name = "clatter";
        private int inboundSlots = 4096;
        private int outboundSlots = 4096;
        private int slotSize = 2048;
        private ProducerType outboundProducers = ProducerType.SINGLE;
        private CounterRegistry counters = new CounterRegistry();
        private ErrorLog errorLog = new ErrorLog();

        private Builder() {
        }

        /** Prefix of the thread names. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Inbound ring size, a power of two (default 4096). */
        public Builder inboundSlots(int slots) {
            this.inboundSlots = slots;
            return this;
        }

        /** Outbound ring size, a power of two (default 4096). */
        public Builder outboundSlots(int slots) {
            this.outboundSlots = slots;
            return this;
        }

        /** Bytes per slot, the largest frame in either direction (default 2048). */
        public Builder slotSize(int bytes) {
            if (bytes <= 0 || bytes > 65536) {
                throw new IllegalArgumentException("slot size must be 1..65536 bytes, got " + bytes);
            }
            this.slotSize = bytes;
            return this;
        }

        /** Lets threads other than the engine publish outbound frames (costs a CAS per frame). */
        public Builder multiProducerOutbound() {
            this.outboundProducers = ProducerType.MULTI;
            return this;
        }

        public Builder counters(CounterRegistry counters) {
            this.counters = Objects.requireNonNull(counters, "counters");
            return this;
        }

        public Builder errorLog(ErrorLog errorLog) {
            this.errorLog = Objects.requireNonNull(errorLog, "errorLog");
            return this;
        }

        public Pipeline build() {
            return new Pipeline(this);
        }
    }
}
