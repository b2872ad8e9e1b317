package org.clatter.transport.udp;

/**
 * Splits what one {@code recvmsg} returned on a {@code UDP_GRO} socket back into the datagrams the sender
 * sent: the kernel coalesces consecutive equal-sized datagrams of one flow and reports their size in the
 * {@code UDP_GRO} control message; every segment has that size except the last, which may be shorter.
 */
final class GroSplitter {

    /** Receives each segment's offset and length in the coalesced buffer, in order. */
    interface Segments {
        void segment(int offset, int length);
    }

    private GroSplitter() {
    }

    /**
     * Whether a GRO size cannot describe {@code total} bytes (zero or negative): then the whole buffer is
     * handed on as one frame so that no byte is lost, and the caller counts it.
     */
    static boolean malformed(int total, int segmentSize) {
        return segmentSize <= 0 || total < 0;
    }

    /**
     * Hands {@code out} every segment of a {@code total}-byte buffer coalesced from {@code segmentSize}-byte
     * datagrams and returns how many there were. A malformed size gives the whole buffer as one segment; a
     * size at least {@code total} gives one segment; a negative total gives none.
     */
    static int split(int total, int segmentSize, Segments out) {
        return split(total, segmentSize, out, null);
    }

    /**
     * {@link #split(int, int, Segments)}, counting into {@code stats} (when given): a malformed size in
     * {@code groMalformed}, and a buffer of several datagrams in {@code groReceives} and {@code groSegments}.
     */
    static int split(int total, int segmentSize, Segments out, UdpStats stats) {
        int n = cut(total, segmentSize, out);
        if (stats != null) {
            if (malformed(total, segmentSize)) {
                stats.groMalformed.incrementAndGet();
            }
            if (n > 1) {
                stats.groReceives.incrementAndGet();
                stats.groSegments.addAndGet(n);
            }
        }
        return n;
    }

    private static int cut(int total, int segmentSize, Segments out) {
        if (total < 0) {
            return 0;
        }
        if (segmentSize <= 0 || segmentSize >= total) {
            out.segment(0, total);
            return 1;
        }
        int n = 0;
        for (int offset = 0; offset < total; offset += segmentSize) {
            out.segment(offset, Math.min(segmentSize, total - offset));
            n++;
        }
        return n;
    }
}
