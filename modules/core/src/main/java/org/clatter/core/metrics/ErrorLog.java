package org.clatter.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.clatter.core.time.Clock;
import org.clatter.core.time.SystemClock;

/**
 * The one place engine loops report what they caught. Reports with the same site, exception type, message
 * and throwing frame collapse into one {@link Entry} with a count and the first and last time seen, so a
 * packet flood that trips the same bug a million times leaves one line, not a million.
 *
 * <p>Bounded: at most {@code capacity} distinct entries are kept; further distinct errors are only counted
 * ({@link #overflowed()}). The first occurrence of each entry is also written to the {@link System.Logger}
 * {@code org.clatter.core.errors}. Thread-safe. Reporting allocates, which is fine: it is off the hot path.
 */
public final class ErrorLog {
    private static final System.Logger LOG = System.getLogger("org.clatter.core.errors");

    private final int capacity;
    private final Clock clock;
    private final LinkedHashMap<Key, Mutable> entries = new LinkedHashMap<>();
    private long overflowed;
    private long total;

    /**
     * @param capacity most distinct entries to keep (positive)
     * @param clock    where first/last times come from ({@link Clock#epochMillis()})
     */
    public ErrorLog(int capacity, Clock clock) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("error log capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** 256 entries on the system clock. */
    public ErrorLog() {
        this(256, SystemClock.INSTANCE);
    }

    /**
     * Records a caught throwable. {@code site} names where it was caught, e.g. {@code engine.onFrame}; the
     * frame it was thrown from is part of the key too, so two bugs behind one catch stay apart.
     */
    public void record(String site, Throwable error) {
        StackTraceElement[] st = error.getStackTrace();
        String origin = st.length > 0 ? st[0].toString() : "";
        record(new Key(site, error.getClass().getName(), String.valueOf(error.getMessage()), origin), error);
    }

    /** Records an error condition that is not an exception. */
    public void record(String site, String type, String message) {
        record(new Key(site, type, message, ""), null);
    }

    private void record(Key key, Throwable error) {
        long now = clock.epochMillis();
        boolean first = false;
        synchronized (this) {
            total++;
            Mutable m = entries.get(key);
            if (m == null) {
                if (entries.size() >= capacity) {
                    overflowed++;
                    return;
                }
                m = new Mutable(now, error);
                entries.put(key, m);
                first = true;
            }
            m.count++;
            m.lastMillis = now;
        }
        if (first) {
            LOG.log(System.Logger.Level.WARNING, key.site + ": " + key.type + ": " + key.message, error);
        }
    }

    /** The distinct entries, in the order first seen. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(entries.size());
        entries.forEach((k, m) -> out.add(new Entry(k.site, k.type, k.message, k.origin, m.count,
                m.firstMillis, m.lastMillis, java.util.Optional.ofNullable(m.firstError))));
        return List.copyOf(out);
    }

    /** Every report, duplicates and overflowed ones included. */
    public synchronized long total() {
        return total;
    }

    /** Distinct errors not kept because the log was full. */
    public synchronized long overflowed() {
        return overflowed;
    }

    /** One line per entry: {@code count x site: type: message (first .. last)}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries()) {
            sb.append(e.count()).append(" x ").append(e.site()).append(": ").append(e.type()).append(": ")
                    .append(e.message());
            if (!e.origin().isEmpty()) {
                sb.append(" at ").append(e.origin());
            }
            sb.append(" (first ").append(java.time.Instant.ofEpochMilli(e.firstMillis()))
                    .append(", last ").append(java.time.Instant.ofEpochMilli(e.lastMillis())).append(")\n");
        }
        if (overflowed() > 0) {
            sb.append(overflowed()).append(" more distinct errors not kept (log full)\n");
        }
        return sb.toString();
    }

    /**
     * One de-duplicated error.
     *
     * @param site        where it was caught
     * @param type        the exception class name (or the caller's type for non-exceptions)
     * @param message     its message
     * @param origin      the frame it was thrown from, empty for non-exceptions
     * @param count       how many times it was reported
     * @param firstMillis epoch millis of the first report
     * @param lastMillis  epoch millis of the latest report
     * @param firstError  the first throwable, for its stack trace
     */
    public record Entry(String site, String type, String message, String origin, long count, long firstMillis,
                        long lastMillis, java.util.Optional<Throwable> firstError) {
    }

    private record Key(String site, String type, String message, String origin) {
    }

    private static final class Mutable {
        final long firstMillis;
        final Throwable firstError;
        long lastMillis;
        long count;

        Mutable(long firstMillis, Throwable firstError) {
            this.firstMillis = firstMillis;
            this.lastMillis = firstMillis;
            this.firstError = firstError;
        }
    }
}
