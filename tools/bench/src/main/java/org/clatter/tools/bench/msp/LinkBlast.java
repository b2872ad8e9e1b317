package org.clatter.tools.bench.msp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.Transport;
import org.clatter.tools.bench.link.CountingSink;
import org.clatter.transport.udp.UdpTransportProvider;

/**
 * A second bare-UDP ceiling: datagrams of the stream's size blasted through Clatter's own UDP link, the I/O path the
 * stream uses (batches of {@value #BATCH} between {@link Link#beginBatch()} and {@link Link#endBatch()}, so one
 * segmentation-offload system call per batch on a native link; received by the link's thread into a native slot and
 * counted), with no MDP, MSP or crypto. Next to the plain {@code DatagramChannel} blast it shows how much of the
 * stream's cost is the system calls and how much is everything above them.
 */
final class LinkBlast {
    static final int BATCH = 32;

    private LinkBlast() {
    }

    /** Payload bytes per second delivered: datagrams counted at the receiver times {@code payload}. */
    static double run(int size, long seconds, int payload, String udpNative) throws Exception {
        int port = 4200 + new SplittableRandom().nextInt(20000);
        try (Transport t = new UdpTransportProvider().create(Config.of("udp.receive_buffer", "4194304",
                "udp.send_buffer", "4194304", "udp.native", udpNative))) {
            Link tx = t.open("127.1.0.1/24:" + port);
            Link rx = t.open("127.1.0.2/24:" + port);
            CountingSink sink = new CountingSink(4096);
            rx.start(sink);
            MemorySegment frame = Arena.ofAuto().allocate(size);
            LinkAddress to = rx.localAddress();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long sent = 0;
            while (System.nanoTime() < end) {
                tx.beginBatch();
                for (int i = 0; i < BATCH; i++) {
                    tx.send(to, frame, 0, size);
                }
                tx.endBatch();
                sent += BATCH;
            }
            long deadline = System.nanoTime() + 200_000_000L;
            while (sink.frames() < sent && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long got = sink.frames();
            tx.close();
            rx.close();
            if (got == 0 || got > sent) {
                throw new IllegalStateException("link blast count wrong: " + got + " of " + sent);
            }
            return got * (double) payload / seconds;
        }
    }
}
