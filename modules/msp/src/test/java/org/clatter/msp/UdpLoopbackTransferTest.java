package org.clatter.msp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.clatter.core.time.SystemClock;
import org.junit.jupiter.api.Test;

/**
 * 10 MB over real UDP sockets on 127.0.0.1 between two engines, each on its own thread in manual mode, with 2%
 * loss injected: the bytes arrive intact and in order (SHA-256 compared). Raw MSP: the MDP framing and crypto
 * come with the MDP module; a datagram here is {@code u32 dst port ‖ u32 src port ‖ MSP packet}.
 */
class UdpLoopbackTransferTest {

    static final class Node implements MspDatagramLayer {
        final MspAddress identity;
        final MspAddress peerIdentity;
        final DatagramChannel channel;
        final Selector selector;
        final MspEngine engine;
        final Random random;
        final double loss;
        InetSocketAddress peer;
        final ByteBuffer tx = ByteBuffer.allocate(2048);
        final ByteBuffer rx = ByteBuffer.allocate(2048);

        Node(int id, int peerId, double loss) throws IOException {
            identity = sid(id);
            peerIdentity = sid(peerId);
            this.loss = loss;
            random = new Random(id);
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 2 << 20);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            engine = new MspEngine(this, MspConfig.defaults(), SystemClock.INSTANCE);
        }

        static MspAddress sid(int id) {
            byte[] s = new byte[32];
            s[0] = (byte) id;
            return MspAddress.of(s, 0);
        }

        @Override
        public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
            if (random.nextDouble() < loss) {
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

        void loop(AtomicBoolean done, long deadline) {
            try {
                while (!done.get() && System.nanoTime() < deadline) {
                    long now = System.nanoTime();
                    boolean any = false;
                    while (true) {
                        rx.clear();
                        if (channel.receive(rx) == null) {
                            break;
                        }
                        any = true;
                        engine.receive(now, identity.withPort(rx.getInt(0)), peerIdentity.withPort(rx.getInt(4)),
                                rx.array(), 8, rx.position() - 8);
                    }
                    long next = engine.processing(now);
                    if (!any) {
                        long ms = Math.min(5, (next - now) / 1_000_000L);
                        if (ms <= 0) {
                            selector.selectNow();
                        } else {
                            selector.select(ms);
                        }
                        selector.selectedKeys().clear();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int maxPacketSize() {
            return 1115;
        }

        @Override
        public MspAddress bind(MspAddress local) {
            return local.port() == 0 ? local.withPort(2000) : local;
        }

        @Override
        public void unbind(MspAddress local) {
        }

        @Override
        public MspAddress primaryIdentity() {
            return identity;
        }
    }

    @Test
    void tenMegabytesArriveIntact() throws Exception {
        byte[] data = new byte[10 * 1000 * 1000];
        new Random(3).nextBytes(data);
        Node a = new Node(1, 2, 0.02);
        Node b = new Node(2, 1, 0.02);
        a.peer = (InetSocketAddress) b.channel.getLocalAddress();
        b.peer = (InetSocketAddress) a.channel.getLocalAddress();
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long[] count = new long[1];
        AtomicBoolean done = new AtomicBoolean();
        MspCloseReason[] serverReason = new MspCloseReason[1];
        b.engine.listen(MspAddress.anyIdentity(5), c -> new MspHandler() {
            @Override
            public void onData(MspConnection conn, byte[] buf, int off, int len) {
                received.update(buf, off, len);
                count[0] += len;
            }

            @Override
            public void onRemoteShutdown(MspConnection conn) {
                conn.shutdown();
            }

            @Override
            public void onClosed(MspConnection conn, MspCloseReason reason) {
                serverReason[0] = reason;
                done.set(true);
            }
        });
        int[] offset = new int[1];
        MspHandler sender = new MspHandler() {
            @Override
            public void onData(MspConnection conn, byte[] buf, int off, int len) {
            }

            @Override
            public void onWritable(MspConnection conn) {
                fill(conn);
            }

            void fill(MspConnection conn) {
                while (offset[0] < data.length) {
                    int n = Math.min(1024, data.length - offset[0]);
                    if (conn.send(data, offset[0], n) != MspConnection.SENT) {
                        return;
                    }
                    offset[0] += n;
                }
                conn.shutdown();
            }
        };
        long deadline = System.nanoTime() + 50_000_000_000L;
        Thread server = Thread.ofPlatform().name("udp-b").start(() -> b.loop(done, deadline));
        MspConnection c = a.engine.connect(a.identity, b.identity.withPort(5), sender);
        sender.onWritable(c);
        a.loop(done, deadline);
        server.join();
        a.channel.close();
        b.channel.close();
        assertEquals((long) data.length, count[0]);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), received.digest());
        assertEquals(MspCloseReason.NORMAL, serverReason[0]);
    }
}
