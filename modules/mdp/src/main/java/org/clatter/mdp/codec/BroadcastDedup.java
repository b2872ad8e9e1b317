package org.clatter.mdp.codec;

/**
 * servald's broadcast de-duplication (spec §4.2): 8-byte broadcast ids hashed into 1024 slots; a frame is a
 * duplicate when its slot holds the same id. Lossy by design (a collision evicts), like servald's.
 */
public final class BroadcastDedup {
    private final long[] slots = new long[1024];
    private final boolean[] used = new boolean[1024];

    /** servald's slot hash over the id's bytes, most significant first. */
    public static int slot(long bpi) {
        int h = 0;
        for (int i = 7; i >= 0; i--) {
            int b = (int) (bpi >>> (8 * i)) & 0xff;
            h = ((h << 3) & 0xfff8) + ((h >> 13) & 7);
            h ^= b;
        }
        return h & 0x3ff;
    }

    /** True the first time an id is seen (and records it); false for a duplicate. */
    public boolean firstSighting(long bpi) {
        int s = slot(bpi);
        if (used[s] && slots[s] == bpi) {
            return false;
        }
        used[s] = true;
        slots[s] = bpi;
        return true;
    }
}
