package org.clatter.rhizome.sync;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Rate and time left for a sync, from successive {@link SyncProgress} samples: the rate is the bytes received
 * over the last {@link #WINDOW_NANOS} (so it follows a transfer that speeds up or stalls), the ETA is the bytes
 * still expected at that rate. Drives {@code clatter rhizome sync}'s progress bar.
 *
 * <pre>
 *   ProgressMeter meter = new ProgressMeter();
 *   meter.observe(System.nanoTime(), progress);    // every redraw
 *   err.print("\r" + meter.line(progress, 20));    // [#####               ] 3/12 bundles 1.2 MB/4.8 MB 310 KB/s ETA 0:12
 * </pre>
 *
 * Not thread-safe.
 */
public final class ProgressMeter {
    /** The rate is measured over this much of the recent past. */
    public static final long WINDOW_NANOS = 5_000_000_000L;

    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    /** Records {@code p} as seen at {@code nanos} (a monotonic clock, such as {@link System#nanoTime()}). */
    public void observe(long nanos, SyncProgress p) {
        observe(nanos, p.bytesReceived());
    }

    /** Records that {@code bytesReceived} bytes had arrived at {@code nanos}. */
    public void observe(long nanos, long bytesReceived) {
        if (!samples.isEmpty() && samples.peekLast()[0] - nanos > 0) {
            return; // a clock that went back: keep what we have
        }
        samples.addLast(new long[] {nanos, bytesReceived});
        while (samples.size() > 2) { // keep the newest sample at least a window old, drop older ones
            long[] oldest = samples.removeFirst();
            if (nanos - samples.peekFirst()[0] < WINDOW_NANOS) {
                samples.addFirst(oldest);
                break;
            }
        }
    }

    /** Bytes per second over the window; 0 before two samples. */
    public double bytesPerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long dt = last[0] - first[0];
        return dt <= 0 ? 0 : Math.max(0, last[1] - first[1]) * 1e9 / dt;
    }

    /** Seconds until {@code p}'s expected bytes are in at the current rate; empty while the rate is 0. */
    public OptionalLong etaSeconds(SyncProgress p) {
        double rate = bytesPerSecond();
        long left = Math.max(0, p.bytesExpected() - p.bytesReceived());
        if (left == 0) {
            return OptionalLong.of(0);
        }
        return rate <= 0 ? OptionalLong.empty() : OptionalLong.of((long) Math.ceil(left / rate));
    }

    /**
     * One line: a bar {@code width} characters wide, bundles done of done + pending, bytes, rate and ETA
     * ({@code ETA ?} while nothing is arriving).
     */
    public String line(SyncProgress p, int width) {
        int filled = (int) Math.round(p.fraction() * width);
        OptionalLong eta = etaSeconds(p);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                + p.bundlesDone() + "/" + (p.bundlesDone() + p.bundlesPending()) + " bundles "
                + bytes(p.bytesReceived()) + "/" + bytes(p.bytesExpected()) + " "
                + bytes((long) bytesPerSecond()) + "/s ETA "
                + (eta.isPresent() ? clock(eta.getAsLong()) : "?");
    }

    /** Plain (no carriage return) text for logs: bundles, bytes, rate. */
    public String plain(SyncProgress p) {
        return String.format(Locale.ROOT, "%d bundles received, %d pending, %s of %s, %s/s", p.bundlesDone(),
                p.bundlesPending(), bytes(p.bytesReceived()), bytes(p.bytesExpected()), bytes((long) bytesPerSecond()));
    }

    /** {@code 999 B}, {@code 1.2 KB}, {@code 3.4 MB}, {@code 5.6 GB} (powers of 1000). */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
