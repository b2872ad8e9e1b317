package org.clatter.tools.bench.msp;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.clatter.core.time.VirtualScheduler;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspDatagramLayer;
import org.clatter.msp.MspEngine;

/**
 * A simulated bottleneck link in virtual time: per direction a FIFO of limited length drained at a fixed bit rate,
 * a one-way propagation delay, and random loss. Two endpoints, each an {@link MspEngine} driving itself on the
 * shared {@link VirtualScheduler}.
 */
final class SimLink {
    final VirtualScheduler scheduler = new VirtualScheduler();
    final SplittableRandom random;
    final long bitsPerSecond;
    final long delayNanos;
    final int queueLimit;
    final double loss;
    final End[] ends = new End[2];

    SimLink(long seed, long bitsPerSecond, long delayNanos, int queueLimit, double loss) {
        this.random = new SplittableRandom(seed);
        this.bitsPerSecond = bitsPerSecond;
        this.delayNanos = delayNanos;
        this.queueLimit = queueLimit;
        this.loss = loss;
    }

    final class End implements MspDatagramLayer {
        final int index;
        final MspAddress identity;
        MspEngine engine;
        long busyUntil;
        long delivered;
        long deliveredBytes;

        End(int index) {
            this.index = index;
            byte[] sid = new byte[32];
            sid[0] = (byte) (index + 1);
            this.identity = MspAddress.of(sid, 0);
        }

        @Override
        public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
            long now = scheduler.clock().nanos();
            long txTime = (len + 68L) * 8 * 1_000_000_000L / bitsPerSecond; // + UDP/IP/overlay overhead
            if (busyUntil - now > queueLimit * txTime) {
                return SENT; // tail drop: the queue is full
            }
            busyUntil = Math.max(now, busyUntil) + txTime;
            if (random.nextDouble() < loss) {
                return SENT;
            }
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            End peer = ends[1 - index];
            scheduler.schedule(busyUntil + delayNanos, () -> {
                peer.delivered++;
                peer.deliveredBytes += copy.length;
                if (peer.engine != null) {
                    peer.engine.onDatagram(remote, local, copy, 0, copy.length);
                }
            });
            return SENT;
        }

        @Override
        public int maxPacketSize() {
            return 1115;
        }

        @Override
        public MspAddress bind(MspAddress local) {
            return local.port() == 0 ? local.withPort(1000 + index) : local;
        }

        @Override
        public void unbind(MspAddress local) {
        }

        @Override
        public MspAddress primaryIdentity() {
            return identity;
        }
    }

    End end(int i) {
        if (ends[i] == null) {
            ends[i] = new End(i);
        }
        return ends[i];
    }
}
