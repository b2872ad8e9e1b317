package org.clatter.tools.bench.mdp;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.clatter.crypto.BouncyCastleCryptoProvider;
import org.clatter.mdp.Identity;
import org.clatter.mdp.codec.AddressCodes;
import org.clatter.mdp.codec.DecodeResult;
import org.clatter.mdp.codec.FrameFlyweight;
import org.clatter.mdp.codec.FrameHeader;
import org.clatter.mdp.codec.FrameSecurity;
import org.clatter.mdp.codec.OverlayPacketFlyweight;
import org.clatter.mdp.codec.OverlayPacketWriter;
import org.clatter.mdp.codec.PortHeader;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.LinkAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames per second through one {@link MeshEngine}'s receive path on one core: {@code engineReceive} feeds
 * 256 pre-built overlay packets from a neighbour (v1, unicast, packet and frame seq 0..255 so the duplicate
 * windows accept every one, one crypted frame to the engine's SID and an application port) through decode →
 * address resolution → {@code crypto_box} open → port header → delivery to the listener. Baselines in the same
 * run: {@code boxOpenAlone}, the XSalsa20-Poly1305 open of the same frames' payloads with the precomputed key
 * (what the engine's crypto costs at least), and {@code decodeAlone}, the packet and frame flyweights walking the
 * same packets. Tear-down checks that every packet fed in was delivered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MdpReceiveBenchmark {
    /** Application bytes per frame (after the port header). */
    @Param({"64", "1024"})
    int size;

    private static final int PACKETS = 256;
    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());
    private final byte[][] packets = new byte[PACKETS][];
    private final MemorySegment[] segments = new MemorySegment[PACKETS];
    private final byte[][] boxes = new byte[PACKETS][];
    private final byte[] key = new byte[32];
    private final byte[] out = new byte[2048];
    private final OverlayPacketFlyweight packet = new OverlayPacketFlyweight();
    private final FrameFlyweight frame = new FrameFlyweight();
    private MeshEngine receiver;
    private long delivered;
    private long fed;
    private int next;
    private static final LinkAddress FROM = new LinkAddress() {
        @Override
        public String kind() {
            return "bench";
        }

        @Override
        public byte[] toBytes() {
            return new byte[] {1};
        }
    };

    @Setup
    public void setUp() {
        Identity sender = Identity.generate(crypto, "", "S");
        Identity self = Identity.generate(crypto, "", "R");
        receiver = new MeshEngine(crypto, self, 1, (from, sp, to, dp, sec, data, now) -> {
            if (sec == MeshEngine.Security.CRYPTED && data.length == size) {
                delivered++;
            }
        });
        receiver.addInterface(true);
        FrameSecurity security = new FrameSecurity(crypto);
        byte[] plain = new byte[size + PortHeader.MAX_LENGTH];
        byte[] sealed = new byte[plain.length + FrameSecurity.BOX_OVERHEAD];
        byte[] nonce = new byte[24];
        byte[] buf = new byte[OverlayPacketFlyweight.DEFAULT_MTU];
        OverlayPacketWriter w = new OverlayPacketWriter();
        if (!crypto.boxBeforeNm(self.sid().toBytes(), 0, sender.boxSecret(), 0, key, 0)) {
            throw new IllegalStateException("no shared key");
        }
        for (int i = 0; i < PACKETS; i++) {
            int p = PortHeader.write(5000, 5001, plain, 0);
            crypto.randomBytes(plain, p, size);
            security.nextNonce(nonce);
            security.seal(nonce, self.sid(), sender.sid(), sender.boxSecret(), plain, 0, p + size, sealed, 0);
            int boxLen = p + size + FrameSecurity.BOX_OVERHEAD;
            boxes[i] = Arrays.copyOf(sealed, boxLen);
            FrameHeader h = new FrameHeader().clear();
            h.flags(FrameFlyweight.F_SENDER_SAME | FrameFlyweight.F_CIPHERED | FrameFlyweight.F_SIGNED);
            h.destination(AddressCodes.FULL, self.sid().toBytes(), 0);
            h.nextHop(AddressCodes.PREVIOUS, new byte[0], 0);
            h.ttlQos(FrameFlyweight.TTL_MAX, 3);
            h.mdpSeq(i);
            w.wrap(MemorySegment.ofArray(buf), 0, buf.length);
            w.begin(1, OverlayPacketFlyweight.ENCAP_OVERLAY, AddressCodes.FULL, sender.sid().toBytes(), 0, true, 0, i);
            if (!w.appendFrame(h, boxes[i], 0, boxLen)) {
                throw new IllegalStateException("frame does not fit");
            }
            packets[i] = Arrays.copyOf(buf, w.length());
            segments[i] = MemorySegment.ofArray(packets[i]);
        }
    }

    @Benchmark
    public long engineReceive() {
        int i = next;
        next = (i + 1) & (PACKETS - 1);
        receiver.receive(0, FROM, segments[i], 0, packets[i].length, 0);
        fed++;
        return delivered;
    }

    @Benchmark
    public boolean boxOpenAlone() {
        int i = next;
        next = (i + 1) & (PACKETS - 1);
        byte[] b = boxes[i];
        return crypto.secretBoxOpen(key, 0, b, 0, b, FrameSecurity.NONCE, b.length - FrameSecurity.NONCE, out, 0);
    }

    @Benchmark
    public int decodeAlone() {
        int i = next;
        next = (i + 1) & (PACKETS - 1);
        int r = packet.wrap(segments[i], 0, packets[i].length);
        int n = 0;
        for (int fr = frame.first(packet); fr == DecodeResult.OK; fr = frame.next()) {
            n += frame.payloadLength();
        }
        return r + n;
    }

    @TearDown
    public void check() {
        if (fed > 0 && delivered != fed) {
            throw new IllegalStateException("engine delivered " + delivered + " of " + fed + " frames: "
                    + receiver.events() + " " + receiver.counters().snapshot());
        }
        byte[] b = boxes[0];
        if (!crypto.secretBoxOpen(key, 0, b, 0, b, FrameSecurity.NONCE, b.length - FrameSecurity.NONCE, out, 0)) {
            throw new IllegalStateException("the precomputed key does not open the frames");
        }
    }
}
