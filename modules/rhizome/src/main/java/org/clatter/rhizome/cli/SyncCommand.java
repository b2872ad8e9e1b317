package org.clatter.rhizome.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.node.MdpNode;
import org.clatter.rhizome.RhizomeException;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.rhizome.node.RhizomeNode;
import org.clatter.spi.crypto.Crypto;

/**
 * {@code clatter rhizome sync --interface udp:ADDR/PREFIX[:PORT] [--peer ADDR[:PORT]] [--seconds N]}: runs an MDP
 * node in this process with the instance's identities and Rhizome sync over the instance's store, printing every
 * bundle that arrives, for {@code N} seconds (default: until killed).
 */
final class SyncCommand {
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
                while (System.nanoTime() - end < 0) {
                    Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
                    for (RhizomeStore.Change c : store.changedSince(since, 1000)) {
                        out.println(RhizomeCommand.line(c.manifest()));
                        since = c.change();
                    }
                }
                rhizome.close();
                return 0;
            } finally {
                node.close();
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
