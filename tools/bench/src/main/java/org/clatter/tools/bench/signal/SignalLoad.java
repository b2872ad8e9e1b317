package org.clatter.tools.bench.signal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.clatter.signal.SignalServer;
import org.clatter.signal.SignalServerConfig;
import org.clatter.signal.codec.Any;
import org.clatter.signal.codec.RpcMessage;
import org.clatter.signal.codec.SignalProto;

/**
 * {@code java -cp tools/bench/target/clatter-benchmarks.jar org.clatter.tools.bench.signal.SignalLoad
 * [--peers 1000] [--swarm 10] [--rate 2000] [--seconds 10] [--mode single|cluster|both]}.
 *
 * <p>Each peer is a WebSocket client on its own socket (a virtual thread reads it). Joins: every peer sends
 * ReceiveMessages and Join at once; joins/s = peers / time until every peer has seen every member of its swarm.
 * Relay: each peer sends to a partner in its swarm (on another server in cluster mode) at a fixed total rate; each
 * message carries its intended send time, and latency = arrival - intended (no coordinated omission). The
 * baseline runs the same peers and schedule through a raw TCP relay (length-prefixed frames, no WebSocket,
 * protobuf or swarm engine). The run checks every message arrived.
 */
public final class SignalLoad {
    private static final long EPOCH = System.nanoTime();

    private SignalLoad() {
    }

    public static void main(String[] args) throws Exception {
        int peers = 1000;
        int swarm = 10;
        int rate = 2000;
        int seconds = 10;
        String mode = "both";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--peers" -> peers = Integer.parseInt(args[i + 1]);
                case "--swarm" -> swarm = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--mode" -> mode = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("signal load: %d peers, swarms of %d, %d msg/s for %d s%n", peers, swarm, rate, seconds);
        // Warm-up (JIT) on the same code paths; results discarded.
        rawBaseline(Math.min(peers, 200), rate, 2);
        try (SignalServer s = SignalServer.start(config())) {
            run(List.of(s), Math.min(peers, 200), swarm, rate, 2);
        }
        Result base = rawBaseline(peers, rate, seconds);
        report("raw TCP relay (baseline)", base, base);
        if (!mode.equals("cluster")) {
            try (SignalServer s = SignalServer.start(config())) {
                report("1 signal server", run(List.of(s), peers, swarm, rate, seconds), base);
            }
        }
        if (!mode.equals("single")) {
            Process nats = startNats();
            try {
                int port = natsPort;
                List<SignalServer> servers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    servers.add(SignalServer.start(config().withNats("nats://127.0.0.1:" + port)));
                }
                try {
                    report("3 signal servers over NATS", run(servers, peers, swarm, rate, seconds), base);
                } finally {
                    servers.forEach(SignalServer::close);
                }
            } finally {
                nats.destroy();
            }
        }
    }

    private static SignalServerConfig config() {
        return SignalServerConfig.defaults().withTimers(Duration.ofSeconds(600), Duration.ofSeconds(200),
                Duration.ofSeconds(10));
    }

    record Result(double joinsPerSecond, Histogram latency, long sent, long received) {
    }

    private static void report(String name, Result r, Result base) {
        double p50 = r.latency.getValueAtPercentile(50) / 1000.0;
        double p99 = r.latency.getValueAtPercentile(99) / 1000.0;
        double b50 = base.latency.getValueAtPercentile(50) / 1000.0;
        double b99 = base.latency.getValueAtPercentile(99) / 1000.0;
        System.out.printf("%-28s joins/s %9.0f (baseline round trips/s %9.0f, ratio %.2f) | relay p50 %8.1f µs "
                        + "(x%.1f) p99 %9.1f µs (x%.1f) max %9.1f µs | %d/%d delivered%n", name, r.joinsPerSecond,
                base.joinsPerSecond, r.joinsPerSecond / base.joinsPerSecond, p50, p50 / b50, p99, p99 / b99,
                r.latency.getMaxValue() / 1000.0, r.received, r.sent);
        if (r.received != r.sent) {
            throw new IllegalStateException(name + ": " + (r.sent - r.received) + " messages lost");
        }
    }

    // ------------------------------------------------------------------ signal run

    private static Result run(List<SignalServer> servers, int n, int swarmSize, int rate, int seconds)
            throws Exception {
        ConcurrentHistogram hist = new ConcurrentHistogram(3_600_000_000L, 3);
        AtomicLong received = new AtomicLong();
        CountDownLatch allSeen = new CountDownLatch(n);
        WsPeer[] peers = new WsPeer[n];
        for (int i = 0; i < n; i++) {
            InetSocketAddress a = servers.get(i % servers.size()).address();
            peers[i] = new WsPeer(a, key(i), key(1_000_000 + i / swarmSize), swarmSize, hist, received, allSeen);
        }
        long t0 = System.nanoTime();
        for (WsPeer p : peers) {
            p.join();
        }
        if (!allSeen.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every peer saw its whole swarm within 120 s");
        }
        double joins = n / ((System.nanoTime() - t0) / 1e9);
        hist.reset();
        long sent = drive(n, rate, seconds, (from, intended) -> {
            int partner = (from / swarmSize) * swarmSize + ((from % swarmSize) + 1) % swarmSize;
            peers[from].send(key(partner), intended);
        });
        awaitCount(received, sent);
        for (WsPeer p : peers) {
            p.close();
        }
        return new Result(joins, hist.copy(), sent, received.get());
    }

    interface Sender {
        void send(int from, long intendedNanos) throws IOException;
    }

    /** Sends {@code rate} messages a second in total, round-robin over the peers, each at its intended time. */
    private static long drive(int n, int rate, int seconds, Sender sender) throws InterruptedException {
        int threads = 8;
        long interval = 1_000_000_000L * threads / rate;
        long start = System.nanoTime() + 50_000_000L;
        long total = (long) rate * seconds;
        AtomicLong sent = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int lane = t;
            ts.add(Thread.ofPlatform().start(() -> {
                for (long k = 0; k * threads + lane < total; k++) {
                    long intended = start + k * interval + lane * (interval / threads);
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    int from = (int) ((k * threads + lane) % n);
                    try {
                        sender.send(from, intended);
                        sent.incrementAndGet();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        return sent.get();
    }

    private static void awaitCount(AtomicLong received, long expected) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (received.get() < expected && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    static byte[] key(int i) {
        byte[] k = new byte[32];
        ByteBuffer.wrap(k).putInt(28, i);
        return k;
    }

    /** A signal client on a raw socket: the bench needs 1,000 of them, so no HttpClient per peer. */
    static final class WsPeer {
        private static final byte[] MASK = {0x5a, 0x3c, 0x11, 0x7e};
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        final byte[] me;
        final byte[] swarm;
        final int swarmSize;
        int nextId = 2;
        int seen;

        WsPeer(InetSocketAddress a, byte[] me, byte[] swarm, int swarmSize, Histogram hist, AtomicLong received,
               CountDownLatch allSeen) throws IOException {
            this.me = me;
            this.swarm = swarm;
            this.swarmSize = swarmSize;
            socket = new Socket(a.getAddress(), a.getPort());
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new BufferedOutputStream(socket.getOutputStream());
            out.write(("GET " + SignalServer.PATH + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("handshake");
                }
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                        ? state + 1 : 0;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        byte[] f = readFrame();
                        if (f == null) {
                            continue;
                        }
                        RpcMessage.Response r = (RpcMessage.Response) RpcMessage.decode(f);
                        if (r.kind() != RpcMessage.Kind.PAYLOAD) {
                            continue;
                        }
                        if (r.id() == 1) {
                            if (++seen == swarmSize) {
                                allSeen.countDown();
                            }
                        } else if (r.id() == 0) {
                            SignalProto.Message m = SignalProto.Message.decode(r.payload().orElseThrow().value());
                            long intended = ByteBuffer.wrap(m.payload().value()).getLong();
                            hist.recordValue(Math.max(0, System.nanoTime() - intended));
                            received.incrementAndGet();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // closed
                }
            });
        }

        void join() throws IOException {
            request(0, SignalProto.RECEIVE_MESSAGES, SignalProto.TYPE_RECEPTION_REQUEST,
                    new SignalProto.ReceptionRequest(me).encode(), true);
            request(1, SignalProto.JOIN, SignalProto.TYPE_JOIN_REQUEST, new SignalProto.JoinRequest(swarm, me).encode(),
                    true);
        }

        void send(byte[] to, long intended) throws IOException {
            byte[] payload = ByteBuffer.allocate(64).putLong(intended).array();
            int id;
            synchronized (this) {
                id = nextId++;
            }
            request(id, SignalProto.SEND_MESSAGE, SignalProto.TYPE_MESSAGE_REQUEST,
                    new SignalProto.Message(me, to, new Any("bench", payload)).encode(), false);
        }

        private void request(int id, String method, String type, byte[] payload, boolean stream) throws IOException {
            byte[] rpc = RpcMessage.encode(new RpcMessage.Request(id, method, new Any(type, payload), stream));
            ByteBuffer f = ByteBuffer.allocate(rpc.length + 8);
            f.put((byte) 0x82);
            if (rpc.length < 126) {
                f.put((byte) (0x80 | rpc.length));
            } else {
                f.put((byte) (0x80 | 126)).putShort((short) rpc.length);
            }
            f.put(MASK);
            for (int i = 0; i < rpc.length; i++) {
                f.put((byte) (rpc[i] ^ MASK[i & 3]));
            }
            synchronized (out) {
                out.write(f.array(), 0, f.position());
                out.flush();
            }
        }

        private byte[] readFrame() throws IOException {
            int b0 = in.readUnsignedByte();
            int len = in.readUnsignedByte() & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = (int) in.readLong();
            }
            byte[] p = new byte[len];
            in.readFully(p);
            return (b0 & 0x0F) == 0x2 ? p : null;
        }

        void close() throws IOException {
            socket.close();
        }
    }

    // ------------------------------------------------------------------ raw baseline

    /** The same peers and schedule through a TCP relay: [len u32][dest u32][payload] in, [len][payload] out. */
    private static Result rawBaseline(int n, int rate, int seconds) throws Exception {
        ServerSocket ss = new ServerSocket(0, 1024, java.net.InetAddress.getLoopbackAddress());
        DataOutputStream[] relayOut = new DataOutputStream[n];
        CountDownLatch accepted = new CountDownLatch(n);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    Socket s = ss.accept();
                    s.setTcpNoDelay(true);
                    Thread.ofVirtual().start(() -> {
                        try {
                            DataInputStream i = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                            int idx = i.readInt();
                            relayOut[idx] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                            accepted.countDown();
                            while (true) {
                                int len = i.readInt();
                                int dest = i.readInt();
                                byte[] p = new byte[len];
                                i.readFully(p);
                                DataOutputStream o = relayOut[dest];
                                synchronized (o) {
                                    o.writeInt(len);
                                    o.write(p);
                                    o.flush();
                                }
                            }
                        } catch (IOException e) {
                            // closed
                        }
                    });
                }
            } catch (IOException e) {
                // closed
            }
        });
        ConcurrentHistogram hist = new ConcurrentHistogram(3_600_000_000L, 3);
        AtomicLong received = new AtomicLong();
        Socket[] socks = new Socket[n];
        DataOutputStream[] outs = new DataOutputStream[n];
        CountDownLatch echoed = new CountDownLatch(n);
        for (int k = 0; k < n; k++) {
            Socket s = new Socket(ss.getInetAddress(), ss.getLocalPort());
            s.setTcpNoDelay(true);
            socks[k] = s;
            outs[k] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            outs[k].writeInt(k);
            outs[k].flush();
            DataInputStream i = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            Thread.ofVirtual().start(() -> {
                try {
                    boolean first = true;
                    while (true) {
                        int len = i.readInt();
                        byte[] p = new byte[len];
                        i.readFully(p);
                        if (first) {
                            first = false;
                            echoed.countDown();
                            continue;
                        }
                        hist.recordValue(Math.max(0, System.nanoTime() - ByteBuffer.wrap(p).getLong()));
                        received.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }
        accepted.await(60, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        for (int k = 0; k < n; k++) {
            synchronized (outs[k]) {
                outs[k].writeInt(64);
                outs[k].writeInt(k);
                outs[k].write(new byte[64]);
                outs[k].flush();
            }
        }
        echoed.await(60, TimeUnit.SECONDS);
        double roundTrips = n / ((System.nanoTime() - t0) / 1e9);
        long sent = drive(n, rate, seconds, (from, intended) -> {
            int partner = (from + 1) % n;
            DataOutputStream o = outs[from];
            synchronized (o) {
                o.writeInt(64);
                o.writeInt(partner);
                o.write(ByteBuffer.allocate(64).putLong(intended).array());
                o.flush();
            }
        });
        awaitCount(received, sent);
        for (Socket s : socks) {
            s.close();
        }
        ss.close();
        return new Result(roundTrips, hist.copy(), sent, received.get());
    }

    // ------------------------------------------------------------------ nats

    private static int natsPort;

    private static Process startNats() throws IOException, InterruptedException {
        String bin = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? "/usr/sbin/nats-server" : "nats-server";
        try (ServerSocket s = new ServerSocket(0)) {
            natsPort = s.getLocalPort();
        }
        Process p = new ProcessBuilder(bin, "-a", "127.0.0.1", "-p", Integer.toString(natsPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200; i++) {
            try (Socket ignored = new Socket("127.0.0.1", natsPort)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(25);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("nats-server did not start; install it: apt-get install -y nats-server");
    }

}
