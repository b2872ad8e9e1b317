package org.clatter.tools.bench.msp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.SplittableRandom;

import org.clatter.core.time.SystemClock;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspDatagramLayer;
import org.clatter.msp.MspEngine;

/**
 * One MSP endpoint on a raw UDP socket on loopback (no MDP framing or crypto yet: a datagram is
 * {@code u32 dst port ‖ u32 src port ‖ MSP packet}; each socket is one SID). The engine runs in manual mode on
 * the node's own thread: receive everything pending, let the application pump, call {@code processing(now)},
 * then wait on the selector until the next deadline. Loss is injected on send.
 */
final class UdpNode implements MspDatagramLayer {
    final MspAddress identity;
    final MspAddress peerIdentity;
    final MspEngine engine;
    final DatagramChannel channel;
    final Selector selector;
    final SplittableRandom random;
    final double loss;
    InetSocketAddress peer;
    private final ByteBuffer tx = ByteBuffer.allocate(2048);
    private final ByteBuffer rx = ByteBuffer.allocate(2048);
    private MspAddress cachedLocal;
    private MspAddress cachedRemote;

    UdpNode(int id, int peerId, MspConfig config, double loss, long seed) throws IOException {
        this.identity = sid(id);
        this.peerIdentity = sid(peerId);
        this.loss = loss;
        this.random = new SplittableRandom(seed);
        this.channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        engine = new MspEngine(this, config, SystemClock.INSTANCE);
    }

    static MspAddress sid(int id) {
        byte[] sid = new byte[32];
        sid[0] = (byte) id;
        return MspAddress.of(sid, 0);
    }

    @Override
    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
        if (loss > 0 && random.nextDouble() < loss) {
            return SENT;
        }
        tx.clear();
        tx.putInt(remote.port()).putInt(local.port()).put(buf, off, len).flip();
        try {
            return channel.send(tx, peer) == 0 ? BACK_PRESSURED : SENT;
        } catch (IOException e) {
            return UNREACHABLE;
        }
    }

    /** One duty cycle; returns false if nothing arrived. */
    boolean receiveAll(long now) throws IOException {
        boolean any = false;
        while (true) {
            rx.clear();
            if (channel.receive(rx) == null) {
                return any;
            }
            any = true;
            int len = rx.position();
            if (len < 9) {
                continue;
            }
            int dst = rx.getInt(0);
            int src = rx.getInt(4);
            if (cachedLocal == null || cachedLocal.port() != dst) {
                cachedLocal = identity.withPort(dst);
            }
            if (cachedRemote == null || cachedRemote.port() != src) {
                cachedRemote = peerIdentity.withPort(src);
            }
            engine.receive(now, cachedLocal, cachedRemote, rx.array(), 8, len - 8);
        }
    }

    void await(long now, long next) throws IOException {
        long waitMs = next == MspEngine.NEVER ? 5 : Math.min(5, (next - now) / 1_000_000L);
        if (waitMs <= 0) {
            selector.selectNow();
        } else {
            selector.select(waitMs);
        }
        selector.selectedKeys().clear();
    }

    @Override
    public int maxPacketSize() {
        return 1115;
    }

    @Override
    public MspAddress bind(MspAddress local) {
        return local.port() == 0 ? local.withPort(1000) : local;
    }

    @Override
    public void unbind(MspAddress local) {
    }

    @Override
    public MspAddress primaryIdentity() {
        return identity;
    }

    void close() throws IOException {
        selector.close();
        channel.close();
    }
}
