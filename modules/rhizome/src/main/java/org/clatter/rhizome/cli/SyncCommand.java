package org.clatter.rhizome.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.node.MdpNode;
import org.clatter.rhizome.RhizomeException;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.node.RhizomeNode;
import org.clatter.rhizome.sync.ProgressMeter;
import org.clatter.rhizome.sync.SyncProgress;
import org.clatter.spi.crypto.Crypto;

/**
 * {@code clatter rhizome sync --interface udp:ADDR/PREFIX[:PORT] [--peer ADDR[:PORT]] [--seconds N]}: runs an MDP
 * node in this process with the instance's identities and Rhizome sync over the instance's store, printing every
 * bundle that arrives, for {@code N} seconds (default: until killed).
 *
 * <p>While bundles are being fetched, stderr shows the transfer's progress ({@link SyncProgress}): on a terminal a
 * bar redrawn in place with bundles, bytes, rate and ETA; otherwise a plain line every {@value #PLAIN_EVERY_MS} ms.
 */
final class SyncCommand {
    /** How often a plain progress line is written when stderr is not a terminal. */
    static final long PLAIN_EVERY_MS = 5000;

    private SyncCommand() {
    }

    static int run(Args a, PrintStream out, PrintStream err) throws InterruptedException {
        String iface = a.option("interface").orElseThrow(() -> new Args.UsageException(
                "rhizome sync needs --interface udp:ADDR/PREFIX[:PORT]"));
        List<String> peers = a.option("peer").map(List::of).orElse(List.of());
        long seconds;
        try {
            seconds = Long.parseLong(a.option("seconds").orElse("0"));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--seconds takes a whole number of seconds, got " + a.option("seconds").get());
        }
        Path inst = a.instance();
        Crypto crypto = MdpCrypto.load();
        try (RhizomeStore store = RhizomeStore.open(inst)) {
            List<RhizomeIdentity> rids = new ArrayList<>(Args.identities(inst, store.crypto(), a.pin()));
            if (rids.isEmpty()) {
                rids.add(Args.defaultIdentity(inst, store.crypto(), a.pin(), err));
            }
            List<Identity> ids = new ArrayList<>();
            for (RhizomeIdentity r : rids) {
                ids.add(Identity.fromSeed(crypto, r.seed(), r.rhizomeSecret(), "", ""));
            }
            MdpNode node;
            try {
                node = MdpNode.realTime(crypto, ids, System.nanoTime()).addInterface(iface, peers);
            } catch (MdpException e) {
                throw new RhizomeException("cannot open " + iface + ": " + e.getMessage()
                        + " (is a node already running on it? `clatter stop` it, or use another port)", e);
            }
            try {
                node.start();
                RhizomeNode rhizome = RhizomeNode.start(node, store);
                err.println("rhizome sync: node " + node.sid() + " on " + node.interfaces() + ", " + store.count()
                        + " bundles");
                long since = lastChange(store);
                long end = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
                ProgressLine bar = new ProgressLine(err, terminal(err));
                while (System.nanoTime() - end < 0) {
                    Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
                    List<RhizomeStore.Change> changes = store.changedSince(since, 1000);
                    if (!changes.isEmpty()) {
                        bar.clear();
                    }
                    for (RhizomeStore.Change c : changes) {
                        out.println(RhizomeCommand.line(c.manifest()));
                        since = c.change();
                    }
                    progress(node, rhizome).ifPresent(p -> bar.show(System.nanoTime(), p));
                }
                bar.clear();
                rhizome.close();
                return 0;
            } finally {
                node.close();
            }
        }
    }

    private static java.util.Optional<SyncProgress> progress(MdpNode node, RhizomeNode rhizome) {
        try {
            return java.util.Optional.of(node.call(n -> rhizome.engine().progress()).get(2, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return java.util.Optional.empty(); // the engine is busy or closing: skip this redraw
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** True when {@code err} is this process's stderr and that is a terminal. */
    private static boolean terminal(PrintStream err) {
        java.io.Console c = System.console();
        return err == System.err && c != null && c.isTerminal();
    }

    /** The transfer progress on stderr: a bar redrawn in place on a terminal, periodic plain lines otherwise. */
    private static final class ProgressLine {
        private final PrintStream err;
        private final boolean terminal;
        private final ProgressMeter meter = new ProgressMeter();
        private boolean drawn;
        private long lastPlain;
        private long lastBytes = -1;

        ProgressLine(PrintStream err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        void show(long nanos, SyncProgress p) {
            meter.observe(nanos, p);
            if (p.idle()) {
                clear();
                return;
            }
            if (terminal) {
                err.print("\r" + meter.line(p, 20) + "\u001b[K");
                err.flush();
                drawn = true;
            } else if (nanos - lastPlain >= PLAIN_EVERY_MS * 1_000_000L && p.bytesReceived() != lastBytes) {
                lastPlain = nanos;
                lastBytes = p.bytesReceived();
                err.println("rhizome sync: " + meter.plain(p));
            }
        }

        /** Takes the bar off the line, so that other output starts at column 0. */
        void clear() {
            if (drawn) {
                err.print("\r\u001b[K");
                err.flush();
                drawn = false;
            }
        }
    }

    private static long lastChange(RhizomeStore store) {
        long since = 0;
        for (List<RhizomeStore.Change> page = store.changedSince(since, 1000); !page.isEmpty();
             page = store.changedSince(since, 1000)) {
            since = page.getLast().change();
        }
        return since;
    }
}
