package org.clatter.rhizome.node;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.node.NodeService;
import org.clatter.rhizome.RhizomeStore;

/**
 * Rhizome in the node daemon: opens the instance's {@link RhizomeStore} and runs a {@link RhizomeNode} on the
 * daemon's MDP node, so bundles from neighbours land in the store ({@code clatter rhizome list} shows them) and
 * bundles that other processes add to the store ({@code clatter rhizome add}, {@code import},
 * {@code meshms send}) are offered to the neighbours: the store's change number is polled every
 * {@link #POLL_MILLIS} ms (one primary-key range scan) and every new change goes to
 * {@link RhizomeNode#bundleAdded}. {@code clatter status} shows the bundle count and the sync counters.
 */
public final class RhizomeNodeService implements NodeService {
    /** How often the store is checked for bundles added by other processes. */
    public static final long POLL_MILLIS = 1000;

    private RhizomeStore store;
    private RhizomeNode rhizome;
    private Thread poller;
    private volatile boolean running;
    private volatile long offered;

    /** For {@link java.util.ServiceLoader}. */
    public RhizomeNodeService() {
    }

    @Override
    public String name() {
        return "rhizome";
    }

    @Override
    public void start(Context context) {
        store = RhizomeStore.open(context.instance().dir());
        try {
            rhizome = RhizomeNode.start(context.node(), store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        long since = store.lastChange();
        running = true;
        poller = Thread.ofPlatform().daemon(true).name("rhizome-store-poll").start(() -> poll(since, context));
        context.log().println(java.time.Instant.now() + " rhizome: " + store.count() + " bundles in "
                + context.instance().dir().resolve("rhizome"));
    }

    /** Offers every bundle stored after {@code since}, once a second, until closed. */
    private void poll(long since, Context context) {
        long last = since;
        while (running) {
            try {
                Thread.sleep(POLL_MILLIS);
                for (List<RhizomeStore.Change> page = store.changedSince(last, 1000); !page.isEmpty();
                     page = store.changedSince(last, 1000)) {
                    for (RhizomeStore.Change c : page) {
                        rhizome.bundleAdded(c.manifest());
                        offered++;
                        last = c.change();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    context.log().println(java.time.Instant.now() + " rhizome: reading the store failed (retrying): "
                            + e.getMessage());
                }
            }
        }
    }

    @Override
    public Map<String, String> status() {
        Map<String, String> out = new TreeMap<>();
        out.put("bundles", Long.toString(store.count()));
        out.put("offered_from_store", Long.toString(offered));
        rhizome.counters().forEach((k, v) -> out.put(k, Long.toString(v)));
        return out;
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
            try {
                poller.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (rhizome != null) {
            rhizome.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
