package org.clatter.mdp.codec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts decoder outcomes by {@link DecodeResult} code. Single writer (the engine thread); readers may see slightly
 * stale values. A stand-in until the node is wired to {@code org.clatter.core.metrics}.
 */
public final class CodecCounters {
    private final long[] counts = new long[DecodeResult.COUNT];
    private long packets;
    private long frames;

    /** Counts an outcome and returns it, so decoders can {@code return counters.count(code)}. */
    public int count(int code) {
        if (code >= 0 && code < counts.length) {
            counts[code]++;
        }
        return code;
    }

    public void packet() {
        packets++;
    }

    public void frame() {
        frames++;
    }

    public long get(int code) {
        return counts[code];
    }

    public long packets() {
        return packets;
    }

    public long frames() {
        return frames;
    }

    /** Every failure code counted so far. */
    public long errors() {
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            if (!DecodeResult.isSuccess(i)) {
                n += counts[i];
            }
        }
        return n;
    }

    /** Non-zero counts by name, e.g. {@code {bad_mac=2}}, for reports. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets", packets);
        m.put("frames", frames);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                m.put(DecodeResult.name(i), counts[i]);
            }
        }
        return m;
    }
}
