package org.clatter.tools.bench.pipeline;

import java.lang.foreign.ValueLayout;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.clatter.core.pipeline.InboundRing;
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
 * Publish-to-consume throughput of the inbound ring: the benchmark thread plays a link (claim, write a
 * frame, received, publish) and the engine thread consumes. When the ring is full the producer waits for
 * space instead of dropping, so the figure is the sustained hand-off rate, not the overflow path.
 *
 * <p>Baseline in the same run: the same hand-off through a JDK {@link ArrayBlockingQueue} of preallocated
 * frames recycled through a second queue (the obvious non-Disruptor design).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class InboundRingBenchmark {
    @Param({"256"})
    int frameBytes;

    private final NullLink link = new NullLink();
    private Pipeline pipeline;
    private InboundRing ring;
    private volatile long consumed;
    private long consumedSum;
    private long published;
    private long publishedSum;

    private ArrayBlockingQueue<byte[]> full;
    private ArrayBlockingQueue<byte[]> free;
    private Thread abqConsumer;
    private volatile long abqConsumed;
    private long abqPublished;

    @Setup(Level.Trial)
    public void setUp() {
        pipeline = Pipeline.builder().name("bench-inbound").inboundSlots(4096).slotSize(2048).build();
        ring = pipeline.inboundRing();
        pipeline.start(f -> {
            consumedSum += f.segment().get(ValueLayout.JAVA_BYTE, 0);
            consumed = consumed + 1;
        });

        full = new ArrayBlockingQueue<>(4096);
        free = new ArrayBlockingQueue<>(4096);
        for (int i = 0; i < 4096; i++) {
            free.add(new byte[2048]);
        }
        abqConsumer = Thread.ofPlatform().name("abq-consumer").daemon(true).start(() -> {
            long sum = 0;
            try {
                while (true) {
                    byte[] f = full.take();
                    sum += f[0];
                    abqConsumed = abqConsumed + 1;
                    free.put(f);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Benchmark
    public void disruptorInboundRing() {
        while (ring.remainingCapacity() == 0) {
            Thread.yield(); // 2 cores: give the consumers the CPU rather than spin
        }
        FrameSlot s = ring.claim();
        byte b = (byte) published;
        s.segment().set(ValueLayout.JAVA_BYTE, 0, b);
        s.received(link, NullLink.ADDRESS, frameBytes, published);
        ring.publish(s);
        published++;
        publishedSum += b;
    }

    @Benchmark
    public void baselineArrayBlockingQueue() throws InterruptedException {
        byte[] f = free.take();
        f[0] = (byte) abqPublished;
        full.put(f);
        abqPublished++;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((consumed < published || abqConsumed < abqPublished) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        abqConsumer.interrupt();
        long dropped = pipeline.counters().counter("pipeline.inbound.dropped.ring_full").get();
        pipeline.close();
        // A benchmark checks its own result: every frame arrived, none dropped, contents intact.
        if (consumed != published || dropped != 0 || (published > 0 && consumedSum != publishedSum)) {
            throw new IllegalStateException("inbound ring lost frames: published " + published + ", consumed "
                    + consumed + ", dropped " + dropped + ", checksums " + publishedSum + "/" + consumedSum);
        }
        if (abqConsumed != abqPublished) {
            throw new IllegalStateException("baseline lost frames: " + abqPublished + " vs " + abqConsumed);
        }
    }
}
