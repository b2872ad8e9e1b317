package org.clatter.mdp.codec;

/**
 * A 64-wide duplicate window over 8-bit sequence numbers (spec §4.1 packet seq, §4.2 per-frame mdp seq), one per
 * neighbour link. Also yields servald's link-state ACK fields: the last seq heard and a mask of earlier ones.
 */
public final class SequenceWindow {
    private int highest = -1;
    private long mask;
    private long advanced;

    /** True when {@code seq} is new (and records it); false for a duplicate within the window. */
    public boolean accept(int seq) {
        seq &= 0xff;
        if (highest < 0) {
            highest = seq;
            mask = 1;
            advanced = 1;
            return true;
        }
        int delta = (byte) (seq - highest);
        if (delta > 0) {
            mask = delta >= 64 ? 1 : (mask << delta) | 1;
            highest = seq;
            advanced += delta;
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

    /** Of the last 32 sequence positions (fewer at the start), how many were not heard, scaled to 0..32. */
    public int missedOf32() {
        if (advanced == 0) {
            return 32;
        }
        int expected = (int) Math.min(32, advanced);
        int heard = Long.bitCount(mask & ((1L << expected) - 1));
        return Math.round(32f * (expected - heard) / expected);
    }

    /** servald's ack mask: bit i set = seq (highest - 1 - i) was heard. */
    public long ackMask() {
        return (mask >>> 1) & 0xffffffffL;
    }
}
