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
import java.util.Locale;
import org.clatter.core.pipeline.Pipeline;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;
import org.clatter.tools.bench.link.CountingSink;

/**
 * Loopback UDP throughput: N datagrams from one UDP link to another, received by the transport straight
 * into the pipeline's inbound ring and counted by the engine thread; and, in the same run, the same number
 * of datagrams of the same size through a bare pair of {@link DatagramChannel}s (a blocking receive loop on
 * its own thread). Both senders keep at most {@code WINDOW} datagrams unconsumed, so neither run loses
 * datagrams to a full socket buffer; each run checks that every sequence number arrived exactly once.
 *
 * <pre>
 *   java -cp tools/bench/target/clatter-benchmarks.jar org.clatter.tools.bench.udp.UdpLoopbackBenchmark [N] [BYTES] [ROUNDS]
 * </pre>
 * Plain {@code main} rather than JMH: a two-socket, two-thread loop with flow control does not fit JMH's
 * one-method-call model. Reports packets/s for both and the ratio transport / bare (goal: at least 0.9).
 */
public final class UdpLoopbackBenchmark {
    private static final int WINDOW = 256;

    private final int packets;
    private final int bytes;

    private UdpLoopbackBenchmark(int packets, int bytes) {
        this.packets = packets;
        this.bytes = bytes;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = Math.max(2, args.length > 2 ? Integer.parseInt(args[2]) : 7);
        UdpLoopbackBenchmark b = new UdpLoopbackBenchmark(n, size);
        System.out.printf(Locale.ROOT, "UDP loopback, %d datagrams of %d bytes, window %d, %d rounds (first is warm-up)%n",
                n, size, WINDOW, rounds);
        double[] transport = new double[rounds - 1];
        double[] bare = new double[rounds - 1];
        double[] ratio = new double[rounds - 1];
        double[] direct = new double[rounds - 1];
        double[] directRatio = new double[rounds - 1];
        for (int r = 0; r < rounds; r++) {
            double t = b.transportRun(true);
            double raw = b.bareRun();
            double d = b.transportRun(false);
            System.out.printf(Locale.ROOT, "round %d: transport->pipeline %,.0f pkt/s   bare DatagramChannel %,.0f pkt/s   ratio %.2f"
                    + "   (transport->direct sink %,.0f pkt/s, ratio %.2f)%s%n",
                    r, t, raw, t / raw, d, d / raw, r == 0 ? "   (warm-up)" : "");
            if (r > 0) {
                transport[r - 1] = t;
                bare[r - 1] = raw;
                ratio[r - 1] = t / raw;
                direct[r - 1] = d;
                directRatio[r - 1] = d / raw;
            }
        }
        if (rounds > 1) {
            System.out.printf(Locale.ROOT, "median: transport->pipeline %,.0f pkt/s, bare %,.0f pkt/s, per-round ratio %.2f (goal >= 0.90)%n",
                    median(transport), median(bare), median(ratio));
            System.out.printf(Locale.ROOT, "median: transport->direct sink (no pipeline hop) %,.0f pkt/s, per-round ratio to bare %.2f%n",
                    median(direct), median(directRatio));
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static int freePort() throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    /** Consumer-side state shared with the sender: the count is the flow-control signal. */
    private static final class Tally {
        volatile long consumed;
        long checksum;
        long badLength;
    }

    /** The link's receive thread counts in place of the engine: the transport alone, no ring hop. */
    private static final class DirectSink extends CountingSink {
        private final Tally tally;
        private final int expectedLength;

        DirectSink(Tally tally, int expectedLength) {
            super(2048);
            this.tally = tally;
            this.expectedLength = expectedLength;
        }

        @Override
        protected void onFrame(MemorySegment memory, int length) {
            if (length != expectedLength) {
                tally.badLength++;
            }
            tally.checksum += memory.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            tally.consumed = tally.consumed + 1;
        }
    }

    private double transportRun(boolean viaPipeline) throws Exception {
        int port = freePort();
        Tally tally = new Tally();
        int expectedLength = bytes;
        try (Transport t = new UdpTransportProvider().create(Config.of("udp.bind_broadcast", "off",
                "udp.receive_buffer", "4194304", "udp.send_buffer", "4194304"));
             Pipeline p = Pipeline.builder().name("bench-udp").inboundSlots(4096).slotSize(2048).build();
             Arena arena = Arena.ofConfined()) {
            Link a = t.open("127.1.0.1/8:" + port);
            Link b = t.open("127.1.0.2/8:" + port);
            if (viaPipeline) {
                p.start(f -> {
                    if (f.length() != expectedLength) {
                        tally.badLength++;
                    }
                    tally.checksum += f.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                    tally.consumed = tally.consumed + 1;
                });
                b.start(p.inbound());
            } else {
                b.start(new DirectSink(tally, expectedLength));
            }
            MemorySegment frame = arena.allocate(bytes, 8);
            long start = System.nanoTime();
            for (long seq = 0; seq < packets; seq++) {
                while (seq - tally.consumed >= WINDOW) {
                    Thread.yield(); // both runs: the sender gives the core away while the window is full
                }
                frame.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, seq);
                int r;
                while ((r = a.send(b.localAddress(), frame, 0, bytes)) == SendResult.BACK_PRESSURED) {
                    Thread.onSpinWait();
                }
                if (r != SendResult.SENT) {
                    throw new IllegalStateException("send failed: " + SendResult.describe(r));
                }
            }
            waitFor(tally, start);
            long elapsed = System.nanoTime() - start;
            a.close();
            b.close();
            check(viaPipeline ? "transport->pipeline" : "transport->direct", tally);
            return packets * 1e9 / elapsed;
        }
    }

    private double bareRun() throws Exception {
        int port = freePort();
        Tally tally = new Tally();
        try (DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rx.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            tx.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            rx.bind(new InetSocketAddress("127.1.0.2", port));
            tx.bind(new InetSocketAddress("127.1.0.1", port));
            InetSocketAddress to = new InetSocketAddress("127.1.0.2", port);
            Thread receiver = Thread.ofPlatform().name("bench-bare-rx").start(() -> {
                ByteBuffer in = ByteBuffer.allocateDirect(2048).order(ByteOrder.nativeOrder());
                try {
                    while (tally.consumed < packets) {
                        in.clear();
                        rx.receive(in);
                        if (in.position() != bytes) {
                            tally.badLength++;
                        }
                        tally.checksum += in.getLong(0);
                        tally.consumed = tally.consumed + 1;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteBuffer out = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            long start = System.nanoTime();
            for (long seq = 0; seq < packets; seq++) {
                while (seq - tally.consumed >= WINDOW) {
                    Thread.yield(); // both runs: the sender gives the core away while the window is full
                }
                out.clear();
                out.putLong(0, seq);
                tx.send(out, to);
            }
            waitFor(tally, start);
            long elapsed = System.nanoTime() - start;
            receiver.join();
            check("bare", tally);
            return packets * 1e9 / elapsed;
        }
    }

    private void waitFor(Tally tally, long start) {
        while (tally.consumed < packets) {
            if (System.nanoTime() - start > 120_000_000_000L) {
                throw new IllegalStateException("only " + tally.consumed + " of " + packets + " datagrams arrived in 120 s");
            }
            Thread.onSpinWait();
        }
    }

    private void check(String what, Tally tally) {
        long expected = (long) packets * (packets - 1) / 2;
        if (tally.consumed != packets || tally.checksum != expected || tally.badLength != 0) {
            throw new IllegalStateException(what + ": wrong result: consumed " + tally.consumed + " checksum "
                    + tally.checksum + " (expected " + expected + "), bad lengths " + tally.badLength);
        }
    }
}
