package org.clatter.mdp.codec;

/**
 * A 64-wide duplicate window over 8-bit sequence numbers (spec §4.1 packet seq, §4.2 per-frame mdp seq), one per
 * neighbour link. Also yields servald's link-state ACK fields: the last seq heard and a mask of earlier ones.
 */
public final class SequenceWindow {
    private int highest = -1;
    private long mask;

    /** True when {@code seq} is new (and records it); false for a duplicate within the window. */
    public boolean accept(int seq) {
        seq &= 0xff;
        if (highest < 0) {
            highest = seq;
            mask = 1;
            return true;
        }
        int delta = (byte) (seq - highest);
        if (delta > 0) {
            mask = delta >= 64 ? 1 : (mask << delta) | 1;
            highest = seq;
            return true;
        }
        int back = -delta;
        if (back >= 64) {
            return true;
        }
        long bit = 1L << back;
        if ((mask & bit) != 0) {
            return false;
        }
        mask |= bit;
        return true;
    }

    /** The highest seq accepted, or -1. */
    public int highest() {
        return highest;
    }

    /** servald's ack mask: bit i set = seq (highest - 1 - i) was heard. */
    public long ackMask() {
        return (mask >>> 1) & 0xffffffffL;
    }
}
