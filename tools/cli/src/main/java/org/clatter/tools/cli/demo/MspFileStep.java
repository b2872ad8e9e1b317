package org.clatter.tools.cli.demo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;
import org.clatter.mdp.cli.DemoCommand.Mesh;
import org.clatter.mdp.cli.DemoCommand.Step;
import org.clatter.mdp.node.MdpNode;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspCloseReason;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspConnection;
import org.clatter.msp.MspHandler;
import org.clatter.msp.mdp.MspNode;

/**
 * A streams a file (random bytes from the demo's seed) to C over MSP: one crypted MDP frame per MSP packet, across
 * B both ways (data out, acknowledgements back), with the links' loss repaired by MSP. Reports the virtual-time
 * rate, the real time it took and the SHA-256 of both ends.
 */
public final class MspFileStep implements Step {
    static final int PORT = 555;
    private final int bytes;

    public MspFileStep(int bytes) {
        this.bytes = bytes;
    }

    @Override
    public String title() {
        return String.format(Locale.ROOT, "msp send-file A -> C (%d KiB over an MSP stream, crypted MDP frames, two"
                + " hops)", bytes / 1024);
    }

    @Override
    public boolean run(Mesh mesh) {
        MdpNode a = mesh.nodes.get("A");
        MdpNode c = mesh.nodes.get("C");
        byte[] file = new byte[bytes];
        new SplittableRandom(mesh.seed ^ 0x6d7370L).nextBytes(file);
        MessageDigest received = sha256();
        long[] got = new long[1];
        long[] doneAt = new long[1];
        MspCloseReason[] reasons = new MspCloseReason[2];
        MspNode ma = MspNode.simulated(a, mesh.scheduler, MspConfig.defaults());
        MspNode mc = MspNode.simulated(c, mesh.scheduler, MspConfig.defaults());
        try {
            mc.call(e -> e.listen(MspAddress.anyIdentity(PORT), conn -> new MspHandler() {
                @Override
                public void onData(MspConnection connection, byte[] buf, int off, int len) {
                    received.update(buf, off, len);
                    got[0] += len;
                }

                @Override
                public void onRemoteShutdown(MspConnection connection) {
                    doneAt[0] = mesh.now();
                    connection.shutdown();
                }

                @Override
                public void onClosed(MspConnection connection, MspCloseReason reason) {
                    reasons[1] = reason;
                }
            })).join();
            Sender sender = new Sender(file, reasons);
            long realStart = System.nanoTime();
            long start = mesh.now();
            MspConnection conn = ma.call(e -> e.connect(ma.layer().primaryIdentity(),
                    MspAddress.of(c.sid().toBytes(), PORT), sender)).join();
            ma.call(e -> {
                sender.pump(conn);
                return null;
            });
            long limit = start + Duration.ofSeconds(300).toNanos();
            while ((reasons[0] == null || reasons[1] == null) && mesh.now() < limit) {
                mesh.run(Duration.ofMillis(100));
            }
            double real = (System.nanoTime() - realStart) / 1e9;
            byte[] sent = sha256().digest(file);
            byte[] sum = received.digest();
            boolean same = got[0] == file.length && MessageDigest.isEqual(sent, sum);
            if (doneAt[0] == 0) {
                mesh.log(String.format(Locale.ROOT, "the stream did not finish: %d of %d bytes arrived (%s)",
                        got[0], file.length, conn));
                return false;
            }
            double virtual = (doneAt[0] - start) / 1e9;
            mesh.log(String.format(Locale.ROOT, "C received %d bytes in %.3f s of virtual time: %.3f MB/s"
                    + " (%d MSP packets resent by A, smoothed RTT %.1f ms)", got[0], virtual,
                    got[0] / virtual / 1e6, ma.engine().counters().getOrDefault("data.retransmitted", 0L),
                    conn.smoothedRttNanos() / 1e6));
            mesh.log("SHA-256 sent     " + HexFormat.of().formatHex(sent));
            mesh.log("SHA-256 received " + HexFormat.of().formatHex(sum) + (same ? "  (match)" : "  (MISMATCH)"));
            mesh.log("stream closed: A " + reasons[0] + ", C " + reasons[1]);
            mesh.out.printf(Locale.ROOT, "  (the transfer took %.2f s of real time)%n", real);
            return same && reasons[0] == MspCloseReason.NORMAL && reasons[1] == MspCloseReason.NORMAL;
        } finally {
            ma.close();
            mc.close();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256; use a full JDK or runtime image", e);
        }
    }

    /** Writes the file in the largest messages the window takes, then shuts its direction down. */
    private static final class Sender implements MspHandler {
        private final byte[] file;
        private final MspCloseReason[] reasons;
        private int next;

        Sender(byte[] file, MspCloseReason[] reasons) {
            this.file = file;
            this.reasons = reasons;
        }

        void pump(MspConnection conn) {
            int max = conn.maxMessageSize();
            while (next < file.length) {
                int n = Math.min(max, file.length - next);
                if (conn.send(file, next, n) != MspConnection.SENT) {
                    return;
                }
                next += n;
            }
            if (!conn.isShutdownLocal()) {
                conn.shutdown();
            }
        }

        @Override
        public void onData(MspConnection connection, byte[] buf, int off, int len) {
        }

        @Override
        public void onWritable(MspConnection connection) {
            pump(connection);
        }

        @Override
        public void onClosed(MspConnection connection, MspCloseReason reason) {
            reasons[0] = reason;
        }
    }
}
