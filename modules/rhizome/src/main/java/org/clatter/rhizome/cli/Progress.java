package org.clatter.rhizome.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most once per percent. */
final class Progress {
    private final PrintStream err;
    private final String label;
    private final long total;
    private int shown = -1;

    Progress(PrintStream err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        if (total <= 0) {
            return;
        }
        int pct = (int) (done * 100 / total);
        if (pct != shown) {
            shown = pct;
            int bar = pct / 5;
            err.print("\r" + label + " [" + "#".repeat(bar) + " ".repeat(20 - bar) + "] " + done + "/" + total);
            if (done >= total) {
                err.println();
            }
        }
    }
}
