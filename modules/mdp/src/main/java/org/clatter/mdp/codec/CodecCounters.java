package org.clatter.mdp.codec;

import java.util.LinkedHashMap;
import java.util.Map;
import org.clatter.core.metrics.Counter;
import org.clatter.core.metrics.CounterRegistry;

/**
 * Counts decoder outcomes by {@link DecodeResult} code in a node's {@link CounterRegistry}, as
 * {@code <prefix>.packets}, {@code <prefix>.frames} and {@code <prefix>.<result>} (e.g.
 * {@code mdp.decode.bad_mac}). Handles are looked up once, so counting allocates nothing.
 */
public final class CodecCounters {
    private final CounterRegistry registry;
    private final Counter[] counts = new Counter[DecodeResult.COUNT];
    private final Counter packets;
    private final Counter frames;

    /** Counters in a registry of their own, prefix {@code mdp.decode}. */
    public CodecCounters() {
        this(new CounterRegistry(), "mdp.decode");
    }

    public CodecCounters(CounterRegistry registry, String prefix) {
        this.registry = registry;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = registry.counter(prefix + "." + DecodeResult.name(i));
        }
        packets = registry.counter(prefix + ".packets");
        frames = registry.counter(prefix + ".frames");
    }

    public CounterRegistry registry() {
        return registry;
    }

    /** Counts an outcome and returns it, so decoders can {@code return counters.count(code)}. */
    public int count(int code) {
        if (code >= 0 && code < counts.length) {
            counts[code].increment();
        }
        return code;
    }

    public void packet() {
        packets.increment();
    }

    public void frame() {
        frames.increment();
    }

    public long get(int code) {
        return counts[code].get();
    }

    public long packets() {
        return packets.get();
    }

    public long frames() {
        return frames.get();
    }

    /** Every failure code counted so far. */
    public long errors() {
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            if (!DecodeResult.isSuccess(i)) {
                n += counts[i].get();
            }
        }
        return n;
    }

    /** {@code packets}, {@code frames} and the non-zero outcome counts by result name, for reports. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packets", packets.get());
        m.put("frames", frames.get());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].get() != 0) {
                m.put(DecodeResult.name(i), counts[i].get());
            }
        }
        return m;
    }
}
