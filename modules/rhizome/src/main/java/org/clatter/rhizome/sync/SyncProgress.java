package org.clatter.rhizome.sync;

import java.util.List;
import org.clatter.rhizome.Manifest;

/**
 * What a {@link SyncEngine} is fetching, as of one call to {@link SyncEngine#progress()}.
 *
 * <p>Sizes become known only as manifests arrive, so {@link #bytesExpected()} grows during a sync: it is the
 * payload bytes received so far plus what the downloads in progress still need.
 *
 * @param bundlesDone     bundles received and stored since the engine started
 * @param bundlesPending  bundles being fetched: manifests asked for and not yet here, plus payloads in progress
 * @param bytesReceived   payload bytes received since the engine started (finished and unfinished bundles)
 * @param bytesExpected   {@code bytesReceived} plus the bytes the downloads in progress still need
 * @param bytesSent       payload bytes sent to neighbours since the engine started
 * @param transfers       the downloads in progress, one per bundle and neighbour
 */
public record SyncProgress(long bundlesDone, long bundlesPending, long bytesReceived, long bytesExpected,
                           long bytesSent, List<Transfer> transfers) {

    public SyncProgress {
        transfers = List.copyOf(transfers);
    }

    /**
     * One payload being received.
     *
     * @param peer     the neighbour it comes from (SID, upper-case hex)
     * @param manifest the bundle's manifest (id, name, service, size)
     * @param received payload bytes held so far (a resumed download starts past 0)
     * @param size     the payload's size
     */
    public record Transfer(String peer, Manifest manifest, long received, long size) {
    }

    /** True when nothing is being fetched. */
    public boolean idle() {
        return bundlesPending == 0;
    }

    /** Received bytes over expected bytes, 0..1 (1 when nothing is expected). */
    public double fraction() {
        return bytesExpected <= 0 ? 1.0 : Math.min(1.0, (double) bytesReceived / bytesExpected);
    }
}
