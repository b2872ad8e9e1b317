package org.clatter.msp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The blocking stream adapters over two engines on a real-time scheduler, with and without loss. */
class MspStreamsTest {

    /** Two identities on one in-memory channel, delivered on the scheduler's thread. */
    static final class Channel {
        final ThreadScheduler scheduler = new ThreadScheduler();
        final Random random = new Random(1);
        final double loss;
        final MspEngine[] engines = new MspEngine[2];
        final MspAddress[] ids = new MspAddress[2];

        Channel(double loss, MspConfig config) {
            this.loss = loss;
            for (int i = 0; i < 2; i++) {
                byte[] sid = new byte[32];
                sid[0] = (byte) (i + 1);
                ids[i] = MspAddress.of(sid, 0);
                int me = i;
                engines[i] = new MspEngine(new MspDatagramLayer() {
                    int nextPort = 1000;

                    @Override
                    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
                        if (random.nextDouble() < loss) {
                            return SENT;
                        }
                        byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                        scheduler.execute(() -> engines[1 - me].onDatagram(remote, local, copy, 0, copy.length));
                        return SENT;
                    }

                    @Override
                    public int maxPacketSize() {
                        return 1115;
                    }

                    @Override
                    public MspAddress bind(MspAddress local) {
                        return local.port() == 0 ? local.withPort(nextPort++) : local;
                    }

                    @Override
                    public void unbind(MspAddress local) {
                    }

                    @Override
                    public MspAddress primaryIdentity() {
                        return ids[me];
                    }
                }, config, scheduler);
            }
        }
    }

    @Test
    void bytesGoThroughBothWaysWithHalfCloseUnderLoss() throws Exception {
        for (double loss : new double[] {0.0, 0.05}) {
            Channel ch = new Channel(loss, MspConfig.defaults());
            try {
                byte[] request = new byte[300_000];
                new Random(2).nextBytes(request);
                byte[] response = "thanks, got it all".getBytes();
                CompletableFuture<MspStreams> accepted = new CompletableFuture<>();
                CompletableFuture<MspStreams> client = new CompletableFuture<>();
                MspConnection[] clientConn = new MspConnection[1];
                MspConnection[] serverConn = new MspConnection[1];
                ch.scheduler.execute(() -> {
                    ch.engines[1].listen(MspAddress.anyIdentity(4), c -> {
                        serverConn[0] = c;
                        MspStreams s = new MspStreams(ch.scheduler, 64 * 1024).attach(c);
                        accepted.complete(s);
                        return s;
                    });
                    MspStreams s = new MspStreams(ch.scheduler);
                    clientConn[0] = ch.engines[0].connect(ch.ids[0], ch.ids[1].withPort(4), s);
                    s.attach(clientConn[0]);
                    client.complete(s);
                });
                MspStreams cs = client.get(5, TimeUnit.SECONDS);
                CompletableFuture<byte[]> serverRead = OwnThread.supply(() -> {
                    try {
                        MspStreams ss = accepted.get(10, TimeUnit.SECONDS);
                        InputStream in = ss.inputStream();
                        byte[] all = in.readAllBytes();
                        OutputStream out = ss.outputStream();
                        out.write(response);
                        out.close();
                        return all;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                OutputStream out = cs.outputStream();
                for (int off = 0; off < request.length; off += 7000) {
                    out.write(request, off, Math.min(7000, request.length - off));
                }
                out.close();
                CompletableFuture<byte[]> clientRead = OwnThread.supply(() -> {
                    try {
                        return cs.inputStream().readAllBytes();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                byte[] got;
                try {
                    got = clientRead.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    CompletableFuture<String> state = new CompletableFuture<>();
                    ch.scheduler.execute(() -> state.complete(clientConn[0] + " / " + serverConn[0]));
                    throw new AssertionError("stalled: " + state.get() + " client " + ch.engines[0].counters()
                            + " server " + ch.engines[1].counters());
                }
                assertArrayEquals(request, serverRead.get(60, TimeUnit.SECONDS), "loss " + loss);
                assertArrayEquals(response, got, "loss " + loss);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (cs.closeReason().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(MspCloseReason.NORMAL, cs.closeReason().orElseThrow(), "loss " + loss);
                // the server closes once its last packet is acked, which under loss may take a resend after ours
                MspStreams server = accepted.get();
                while (server.closeReason().isEmpty() && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10)) {
                    Thread.sleep(10);
                }
                assertTrue(server.closeReason().isPresent(), "loss " + loss + ": the server side closed too");
            } finally {
                ch.scheduler.close();
            }
        }
    }
}
