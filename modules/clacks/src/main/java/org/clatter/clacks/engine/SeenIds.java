package org.clatter.clacks.engine;

/**
 * The last {@code capacity} message ids (128-bit), for de-duplication: a FIFO ring plus a linear-probing index,
 * all preallocated, so remembering an id allocates nothing and costs no per-entry objects.
 */
final class SeenIds {
    private final long[] hi;
    private final long[] lo;
    private final int[] slots; // ring index + 1; 0 = empty
    private final int mask;
    private int next;
    private int size;

    SeenIds(int capacity) {
        hi = new long[capacity];
        lo = new long[capacity];
        int tableSize = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        slots = new int[tableSize];
        mask = tableSize - 1;
    }

    boolean contains(long h, long l) {
        for (int s = home(h, l); slots[s] != 0; s = (s + 1) & mask) {
            int i = slots[s] - 1;
            if (hi[i] == h && lo[i] == l) {
                return true;
            }
        }
        return false;
    }

    /** Remembers an id, forgetting the oldest when full; false if it was already known. */
    boolean add(long h, long l) {
        if (contains(h, l)) {
            return false;
        }
        if (size == hi.length) {
            remove(next);
        } else {
            size++;
        }
        hi[next] = h;
        lo[next] = l;
        int s = home(h, l);
        while (slots[s] != 0) {
            s = (s + 1) & mask;
        }
        slots[s] = next + 1;
        next = (next + 1) % hi.length;
        return true;
    }

    private void remove(int index) {
        int s = home(hi[index], lo[index]);
        while (slots[s] != index + 1) {
            s = (s + 1) & mask;
        }
        // backward-shift deletion keeps every probe chain unbroken
        int i = s;
        int j = s;
        while (true) {
            j = (j + 1) & mask;
            if (slots[j] == 0) {
                break;
            }
            int k = home(hi[slots[j] - 1], lo[slots[j] - 1]);
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                slots[i] = slots[j];
                i = j;
            }
        }
        slots[i] = 0;
    }

    private int home(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        return (int) (x ^ (x >>> 29)) & mask;
    }
}
