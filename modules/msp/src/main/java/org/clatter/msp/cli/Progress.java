package org.clatter.msp.cli;

import java.io.PrintStream;

/** A one-line progress bar with rate and ETA, redrawn at most five times a second. */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final long total;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long done;

    Progress(PrintStream err, long total, boolean enabled) {
        this.err = err;
        this.total = total;
        this.enabled = enabled;
    }

    void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (enabled && now - lastDraw > 200_000_000L) {
            lastDraw = now;
            err.print("\r" + line(done, total, now - start));
            err.flush();
        }
    }

    /** Draws the final line and returns the mean rate in bytes per second. */
    double finish() {
        long elapsed = Math.max(1, System.nanoTime() - start);
        if (enabled) {
            err.println("\r" + line(done, total, elapsed));
        }
        return done / (elapsed / 1e9);
    }

    /** {@code [#####-----]  50%  5.0/10.0 MB  2.5 MB/s  ETA 0:02}. */
    static String line(long done, long total, long elapsedNanos) {
        double rate = elapsedNanos <= 0 ? 0 : done / (elapsedNanos / 1e9);
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
        long pct = total <= 0 ? 100 : Math.min(100, 100 * done / total);
        String eta = rate <= 0 ? "--:--" : clock((long) ((total - done) / rate));
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format("%3d%%  %s/%s  %s/s  ETA %s",
                pct, size(done), size(total), size((long) rate), eta);
    }

    static String size(long b) {
        if (b < 1000) {
            return b + " B";
        }
        if (b < 1_000_000) {
            return String.format("%.1f kB", b / 1e3);
        }
        if (b < 1_000_000_000) {
            return String.format("%.1f MB", b / 1e6);
        }
        return String.format("%.2f GB", b / 1e9);
    }

    static String clock(long seconds) {
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
