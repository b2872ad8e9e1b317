package org.clatter.spi.storage;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Content-addressed blobs. Writes are atomic: a blob is visible whole or not at all, even if the process dies
 * mid-write. Blobs are streamed; nothing here needs a blob to fit in memory.
 */
public interface BlobStore {

    /** Starts a new blob; the caller writes the bytes and then {@link BlobWriter#commit()}s or closes to abort. */
    BlobWriter create();

    /** Opens a stored blob for reading, or empty if absent. */
    Optional<InputStream> open(BlobId id);

    /** Opens a stored blob from {@code offset}, for resumed transfers; empty if absent. */
    Optional<InputStream> open(BlobId id, long offset);

    boolean contains(BlobId id);

    /** The blob's length in bytes, or -1 if absent. */
    long size(BlobId id);

    /** Removes a blob; false if it was absent. */
    boolean delete(BlobId id);

    /** A blob being written. Closing without committing discards it. */
    interface BlobWriter extends AutoCloseable {
        OutputStream stream();

        /** Makes the blob visible under the SHA-512 of what was written, and returns that id. */
        BlobId commit();

        @Override
        void close();
    }
}
