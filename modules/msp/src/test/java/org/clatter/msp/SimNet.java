package org.clatter.msp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.clatter.core.time.VirtualScheduler;

/**
 * A lossy, reordering, duplicating datagram network on a {@link VirtualScheduler}, deterministic from a seed.
 * Each {@link Node} is one SID with its own {@link MspEngine} in automatic mode.
 */
final class SimNet {
    final VirtualScheduler scheduler = new VirtualScheduler();
    final SplittableRandom random;
    double loss;
    double duplicate;
    long latencyNanos = 5_000_000L;
    long jitterNanos;
    /** Each node's sending rate (a FIFO drained at this rate before the latency), 0 = unlimited. */
    long bitsPerSecond;
    long sent;
    long dropped;
    boolean trace;
    private final Map<String, Node> bySid = new HashMap<>();
    private final Map<Integer, Node> byId = new HashMap<>();

    SimNet(long seed) {
        random = new SplittableRandom(seed);
    }

    Node node(int id, MspConfig config) {
        byte[] sid = new byte[MspAddress.SID_BYTES];
        sid[0] = (byte) id;
        sid[31] = (byte) (id * 7 + 1);
        Node n = new Node(MspAddress.of(sid, 0), config);
        bySid.put(n.identity.sidHex(), n);
        byId.put(id, n);
        return n;
    }

    Node nodeById(int id) {
        return byId.get(id);
    }

    final class Node implements MspDatagramLayer {
        final MspAddress identity;
        final MspEngine engine;
        final List<MspAddress> bound = new ArrayList<>();
        final List<int[]> receivedKinds = new ArrayList<>();
        boolean down;
        int nextPort = 257;
        /** Data packets (5 bytes or more) this node sent that the network lost. */
        long dataLost;
        private long busyUntil;

        Node(MspAddress identity, MspConfig config) {
            this.identity = identity;
            this.engine = new MspEngine(this, config, scheduler);
        }

        @Override
        public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
            sent++;
            if (down) {
                dropped++;
                return SENT;
            }
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
            if (trace) {
                org.clatter.msp.codec.MspHeader h = new org.clatter.msp.codec.MspHeader();
                h.decode(copy, 0, copy.length);
                System.out.printf("%8.3f %s -> %s %s%n", scheduler.clock().nanos() / 1e9, local, remote, h);
            }
            long queued = 0;
            if (bitsPerSecond > 0) {
                long now = scheduler.clock().nanos();
                busyUntil = Math.max(busyUntil, now) + (len + 28L) * 8 * 1_000_000_000L / bitsPerSecond;
                queued = busyUntil - now;
            }
            int copies = random.nextDouble() < duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                if (random.nextDouble() < loss) {
                    if (trace) {
                        System.out.println("         (lost)");
                    }
                    dropped++;
                    if (len >= org.clatter.msp.codec.MspHeader.PREAMBLE) {
                        dataLost++;
                    }
                    continue;
                }
                long delay = queued + latencyNanos + (jitterNanos > 0 ? random.nextLong(jitterNanos) : 0);
                scheduler.schedule(scheduler.clock().nanos() + delay, () -> deliver(local, remote, copy));
            }
            return SENT;
        }

        @Override
        public int maxPacketSize() {
            return 1115;
        }

        @Override
        public MspAddress bind(MspAddress local) {
            MspAddress a = local.port() == 0 ? local.withPort(nextPort++) : local;
            bound.add(a);
            return a;
        }

        @Override
        public void unbind(MspAddress local) {
            bound.remove(local);
        }

        @Override
        public MspAddress primaryIdentity() {
            return identity;
        }

        boolean accepts(MspAddress to) {
            for (MspAddress b : bound) {
                if (b.port() == to.port() && (b.isAnyIdentity() || b.sameSid(to))) {
                    return true;
                }
            }
            return false;
        }
    }

    private void deliver(MspAddress from, MspAddress to, byte[] bytes) {
        Node n = bySid.get(to.sidHex());
        if (n == null || n.down || !n.accepts(to)) {
            dropped++;
            return;
        }
        org.clatter.msp.codec.MspHeader h = new org.clatter.msp.codec.MspHeader();
        if (trace) {
            h.decode(bytes, 0, bytes.length);
            System.out.printf("%8.3f   delivered to %s: %s%n", scheduler.clock().nanos() / 1e9, to, h);
        }
        n.receivedKinds.add(new int[] {h.decode(bytes, 0, bytes.length), h.flags()});
        n.engine.onDatagram(to, from, bytes, 0, bytes.length);
    }
}
