package org.clatter.tools.bench.udp;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.clatter.core.pipeline.Pipeline;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@link UdpLoopbackBenchmark} loop under JMH, so {@code tools/bench/run UdpLoopbackJmh} runs it: each
 * invocation sends {@value #BATCH} datagrams (at most {@value #WINDOW} unconsumed) and waits until the consumer
 * has counted them all; the score is datagrams per second. {@code udpTransportIntoPipeline}: UDP link → UDP
 * link → pipeline inbound ring → engine thread. Baseline in the same run, {@code baselineBareDatagramChannel}:
 * the same through two bare channels and a blocking receive thread. Tear-down checks every sequence number
 * arrived once.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class UdpLoopbackJmh {
    static final int BATCH = 1000;
    static final int WINDOW = 256;

    @Param({"1000"})
    int frameBytes;

    private Transport transport;
    private Pipeline pipeline;
    private Arena arena;
    private Link a;
    private Link b;
    private MemorySegment frame;
    private volatile long consumed;
    private long checksum;
    private long sent;

    private DatagramChannel tx;
    private DatagramChannel rx;
    private InetSocketAddress bareTarget;
    private ByteBuffer out;
    private Thread bareReceiver;
    private volatile long bareConsumed;
    private long bareChecksum;
    private long bareSent;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        int port = freePort();
        transport = new UdpTransportProvider().create(Config.of("udp.bind_broadcast", "off",
                "udp.receive_buffer", "4194304", "udp.send_buffer", "4194304"));
        pipeline = Pipeline.builder().name("bench-udp").inboundSlots(4096).slotSize(2048).build();
        arena = Arena.ofShared();
        a = transport.open("127.1.0.1/8:" + port);
        b = transport.open("127.1.0.2/8:" + port);
        pipeline.start(f -> {
            checksum += f.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            consumed = consumed + 1;
        });
        b.start(pipeline.inbound());
        frame = arena.allocate(frameBytes, 8);

        int barePort = freePort();
        tx = DatagramChannel.open(StandardProtocolFamily.INET);
        rx = DatagramChannel.open(StandardProtocolFamily.INET);
        rx.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        tx.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        rx.bind(new InetSocketAddress("127.1.0.2", barePort));
        tx.bind(new InetSocketAddress("127.1.0.1", barePort));
        bareTarget = new InetSocketAddress("127.1.0.2", barePort);
        out = ByteBuffer.allocateDirect(frameBytes).order(ByteOrder.nativeOrder());
        bareReceiver = Thread.ofPlatform().daemon().name("bench-bare-rx").start(() -> {
            ByteBuffer in = ByteBuffer.allocateDirect(2048).order(ByteOrder.nativeOrder());
            try {
                while (true) {
                    in.clear();
                    rx.receive(in);
                    bareChecksum += in.getLong(0);
                    bareConsumed = bareConsumed + 1;
                }
            } catch (IOException closed) {
                // the channel was closed at tear-down: the loop ends
            }
        });
    }

    private static int freePort() throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long udpTransportIntoPipeline() {
        for (int i = 0; i < BATCH; i++) {
            while (sent - consumed >= WINDOW) {
                Thread.onSpinWait();
            }
            frame.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, sent);
            while (a.send(b.localAddress(), frame, 0, frameBytes) == SendResult.BACK_PRESSURED) {
                Thread.onSpinWait();
            }
            sent++;
        }
        while (consumed < sent) {
            Thread.onSpinWait();
        }
        return consumed;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long baselineBareDatagramChannel() throws IOException {
        for (int i = 0; i < BATCH; i++) {
            while (bareSent - bareConsumed >= WINDOW) {
                Thread.onSpinWait();
            }
            out.clear();
            out.putLong(0, bareSent);
            tx.send(out, bareTarget);
            bareSent++;
        }
        while (bareConsumed < bareSent) {
            Thread.onSpinWait();
        }
        return bareConsumed;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        a.close();
        b.close();
        transport.close();
        pipeline.close();
        arena.close();
        tx.close();
        rx.close();
        bareReceiver.join(2000);
        check("transport", consumed, sent, checksum);
        check("bare", bareConsumed, bareSent, bareChecksum);
    }

    private static void check(String what, long got, long sent, long sum) {
        if (got != sent || sum != sent * (sent - 1) / 2) {
            throw new IllegalStateException(what + ": " + got + " of " + sent + " datagrams, checksum " + sum
                    + " (expected " + sent * (sent - 1) / 2 + ")");
        }
    }
}
