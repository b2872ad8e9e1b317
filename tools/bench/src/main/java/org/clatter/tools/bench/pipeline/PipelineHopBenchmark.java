package org.clatter.tools.bench.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.clatter.core.pipeline.InboundRing;
import org.clatter.core.pipeline.OutboundPublisher;
import org.clatter.core.pipeline.OutboundRing;
import org.clatter.core.pipeline.Pipeline;
import org.clatter.spi.transport.FrameSlot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The full hop: link thread (the benchmark thread) → inbound ring → engine thread, whose handler copies the
 * frame into the outbound ring → drainer thread → {@link NullLink}. The producer keeps at most a ring's worth
 * of frames in flight (as a sender's window would), so nothing is dropped and the figure is the sustained
 * rate of the whole path.
 *
 * <p>Baselines in the same run: {@code baselineDirectCall} does the handler's work on the calling thread
 * (copy, then {@code Link.send}): the floor with no hand-off at all; {@code baselineArrayBlockingQueue} is
 * the same three-thread path built from two JDK {@link ArrayBlockingQueue}s of recycled byte arrays.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class PipelineHopBenchmark {
    static final int RING = 4096;

    @Param({"256"})
    int frameBytes;

    private final NullLink link = new NullLink();
    private final NullLink directLink = new NullLink();
    private final NullLink abqLink = new NullLink();
    private Pipeline pipeline;
    private InboundRing inbound;
    private OutboundRing outbound;
    private long published;

    private Arena arena;
    private MemorySegment src;
    private MemorySegment dst;
    private long directSent;

    private ArrayBlockingQueue<byte[]> free;
    private ArrayBlockingQueue<byte[]> toEngine;
    private ArrayBlockingQueue<byte[]> toLink;
    private Thread abqEngine;
    private Thread abqDrainer;
    private long abqPublished;

    @Setup(Level.Trial)
    public void setUp() {
        pipeline = Pipeline.builder().name("bench-hop").inboundSlots(RING).outboundSlots(RING).slotSize(2048).build();
        inbound = pipeline.inboundRing();
        outbound = pipeline.outboundRing();
        OutboundPublisher out = pipeline.outbound();
        pipeline.start(f -> out.send(f.link(), f.source(), f.segment(), 0, f.length()));

        arena = Arena.ofConfined();
        src = arena.allocate(2048);
        dst = arena.allocate(2048);

        free = new ArrayBlockingQueue<>(RING);
        toEngine = new ArrayBlockingQueue<>(RING);
        toLink = new ArrayBlockingQueue<>(RING);
        for (int i = 0; i < RING; i++) {
            free.add(new byte[2048]);
        }
        abqEngine = Thread.ofPlatform().name("abq-engine").daemon(true).start(() -> {
            try {
                while (true) {
                    toLink.put(toEngine.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        abqDrainer = Thread.ofPlatform().name("abq-drainer").daemon(true).start(() -> {
            try {
                while (true) {
                    byte[] f = toLink.take();
                    abqLink.send(NullLink.ADDRESS, MemorySegment.ofArray(f), 0, frameBytes);
                    free.put(f);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Benchmark
    public void disruptorPipelineHop() {
        // Window: frame n takes outbound sequence n; never let it lap the drainer or fill the inbound ring.
        while (published - outbound.drainedSequence() > RING - 64 || inbound.remainingCapacity() < 64) {
            Thread.yield(); // 2 cores: give the consumers the CPU rather than spin
        }
        FrameSlot s = inbound.claim();
        s.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) published);
        s.received(link, NullLink.ADDRESS, frameBytes, published);
        inbound.publish(s);
        published++;
    }

    @Benchmark
    public void baselineDirectCall() {
        src.set(ValueLayout.JAVA_BYTE, 0, (byte) directSent);
        MemorySegment.copy(src, 0, dst, 0, frameBytes);
        directLink.send(NullLink.ADDRESS, dst, 0, frameBytes);
        directSent++;
    }

    @Benchmark
    public void baselineArrayBlockingQueue() throws InterruptedException {
        byte[] f = free.take();
        f[0] = (byte) abqPublished;
        toEngine.put(f);
        abqPublished++;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((link.sent() < published || abqLink.sent() < abqPublished) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        abqEngine.interrupt();
        abqDrainer.interrupt();
        var c = pipeline.counters();
        long dropped = c.counter("pipeline.inbound.dropped.ring_full").get()
                + c.counter("pipeline.outbound.dropped.ring_full").get();
        long sentCounted = c.counter("pipeline.outbound.sent").get();
        pipeline.close();
        arena.close();
        if (link.sent() != published || dropped != 0 || sentCounted != published) {
            throw new IllegalStateException("pipeline lost frames: published " + published + ", link got "
                    + link.sent() + ", counted sent " + sentCounted + ", dropped " + dropped);
        }
        if (abqLink.sent() != abqPublished || directLink.sent() != directSent) {
            throw new IllegalStateException("baseline lost frames");
        }
    }
}
