package org.clatter.rhizome.sync;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.clatter.rhizome.Manifest;

/** What the {@link SyncEngine} needs from a bundle store. {@link RhizomeSyncStore} adapts a {@code RhizomeStore}. */
public interface SyncStore {

    /** Sync keys (first 8 bytes of the manifest hash, big-endian) of every stored bundle whose payload is present. */
    List<Long> keys();

    /** The stored manifest with this sync key. */
    Optional<Manifest> bySyncKey(long key);

    /** The newest stored manifest whose BID starts with these 15 bytes (for the "interesting?" test, §13.1). */
    Optional<Manifest> byBidPrefix(byte[] prefix15);

    /** The stored payload from {@code offset}. */
    Optional<InputStream> payload(Manifest m, long offset);

    /** Starts receiving the payload of {@code m}; the download verifies and stores the bundle on completion. */
    Download begin(Manifest m);

    /** A payload being received. */
    interface Download {
        /** Bytes already held (a resumed download starts past 0). */
        long written();

        void write(byte[] b, int off, int len);

        /** Verifies filehash and signature and stores the bundle; false when either fails (nothing is stored). */
        boolean finish();

        void abort();
    }
}
