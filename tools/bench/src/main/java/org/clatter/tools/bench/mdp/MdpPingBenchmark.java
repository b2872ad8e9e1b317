package org.clatter.tools.bench.mdp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.clatter.crypto.BouncyCastleCryptoProvider;
import org.clatter.mdp.Identity;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.udp.UdpTransportProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encrypted pings per second over loopback UDP, one outstanding: {@code encryptedPing} sends a 12-byte crypted
 * echo request (servald's {@code mdp ping} payload) from one {@link MeshNode} to another's port 7 on 127.1.0.1/.2
 * and waits for the crypted reply, so each operation is one full round trip through both nodes' engines, links and
 * engine threads. Baseline in the same run, {@code rawUdpRoundTrip}: the same 12 bytes through a bare
 * {@link DatagramChannel} to an echo thread and back. Tear-down checks nothing was lost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MdpPingBenchmark {
    private Transport transport;
    private MeshNode a;
    private MeshNode b;
    private final LinkedBlockingQueue<Integer> replies = new LinkedBlockingQueue<>();
    private int seq;
    private long lost;
    private DatagramChannel client;
    private DatagramChannel echo;
    private Thread echoThread;
    private final ByteBuffer rawOut = ByteBuffer.allocateDirect(12);
    private final ByteBuffer rawIn = ByteBuffer.allocateDirect(64);
    private long rawLost;

    static Crypto crypto() {
        return new BouncyCastleCryptoProvider().create(Config.empty());
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int port = 20000 + new SplittableRandom().nextInt(20000);
        transport = new UdpTransportProvider().create(Config.empty());
        Crypto c = crypto();
        a = new MeshNode(crypto(), Identity.generate(c, "", "A"), 1);
        b = new MeshNode(crypto(), Identity.generate(c, "", "B"), 2);
        Link la = transport.open("127.1.0.1/24:" + port);
        Link lb = transport.open("127.1.0.2/24:" + port);
        a.addLink(la, List.of(lb.localAddress()));
        b.addLink(lb, List.of(la.localAddress()));
        a.addListener((from, sp, to, dp, sec, data, now) -> {
            if (dp == 257 && sec == MeshEngine.Security.CRYPTED && data.length == 12) {
                replies.add(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
            }
        });
        a.start();
        b.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!a.call(now -> a.engine().peers()).get().contains(b.sid())) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the two nodes did not find each other in 15 s");
            }
            Thread.sleep(50);
        }

        echo = DatagramChannel.open().bind(new InetSocketAddress("127.1.0.2", 0));
        client = DatagramChannel.open().bind(new InetSocketAddress("127.1.0.1", 0));
        client.connect(echo.getLocalAddress());
        echoThread = Thread.ofPlatform().daemon(true).start(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(64);
            try {
                while (true) {
                    buf.clear();
                    var from = echo.receive(buf);
                    buf.flip();
                    echo.send(buf, from);
                }
            } catch (Exception e) {
                // closed at tear-down
            }
        });
    }

    @Benchmark
    public int encryptedPing() throws Exception {
        int s = ++seq;
        a.call(now -> {
            byte[] p = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(s).putLong(now).array();
            return a.engine().send(b.sid(), MeshEngine.PORT_ECHO, 257, p, 0, 12, now);
        });
        while (true) {
            Integer r = replies.poll(1, TimeUnit.SECONDS);
            if (r == null) {
                lost++;
                return -1;
            }
            if (r == s) {
                return r;
            }
        }
    }

    @Benchmark
    public int rawUdpRoundTrip() throws Exception {
        int s = ++seq;
        rawOut.clear();
        rawOut.order(ByteOrder.LITTLE_ENDIAN).putInt(s).putLong(System.nanoTime()).flip();
        client.write(rawOut);
        rawIn.clear();
        client.read(rawIn);
        if (rawIn.position() != 12 || rawIn.order(ByteOrder.LITTLE_ENDIAN).getInt(0) != s) {
            rawLost++;
        }
        return s;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        String state = "A " + a.call(now -> a.engine().events()).get(2, TimeUnit.SECONDS) + " "
                + a.call(now -> a.engine().counters().snapshot()).get(2, TimeUnit.SECONDS) + "; B "
                + b.call(now -> b.engine().events()).get(2, TimeUnit.SECONDS) + " "
                + b.call(now -> b.engine().counters().snapshot()).get(2, TimeUnit.SECONDS);
        a.close();
        b.close();
        transport.close();
        echo.close();
        client.close();
        if (lost > 0 || rawLost > 0) {
            throw new IllegalStateException(lost + " encrypted pings and " + rawLost + " raw round trips were lost; "
                    + state);
        }
    }
}
