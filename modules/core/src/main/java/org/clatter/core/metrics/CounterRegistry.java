package org.clatter.core.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The named counters of one node. {@link #counter(String)} returns the same handle for the same name, so
 * components look theirs up at construction and increment them on the hot path.
 *
 * <p>Names are dotted lower-case paths: {@code area.event[.reason]}, e.g. {@code pipeline.inbound.received},
 * {@code packets.dropped.bad_mac}.
 */
public final class CounterRegistry {
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * The counter called {@code name}, created at zero on first use.
     *
     * @throws IllegalArgumentException if the name is empty or has characters other than {@code [a-z0-9_.-]}
     */
    public Counter counter(String name) {
        Counter c = counters.get(name);
        if (c != null) {
            return c;
        }
        checkName(name);
        return counters.computeIfAbsent(name, Counter::new);
    }

    /** Every counter's current value, sorted by name. Values are read one by one, not atomically as a set. */
    public SortedMap<String, Long> snapshot() {
        TreeMap<String, Long> m = new TreeMap<>();
        for (Map.Entry<String, Counter> e : counters.entrySet()) {
            m.put(e.getKey(), e.getValue().get());
        }
        return Collections.unmodifiableSortedMap(m);
    }

    /** The snapshot as {@code name value} lines, for a status command or a test failure message. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        snapshot().forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        return sb.toString();
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a counter name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
            if (!ok) {
                throw new IllegalArgumentException("counter name '" + name
                        + "' may only use a-z, 0-9, '_', '-' and '.' (e.g. packets.dropped.bad_mac)");
            }
        }
    }
}
