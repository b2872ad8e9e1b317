package org.clatter.spi.storage;

/** An open store: blobs, the record index and the keyring, closed together. */
public interface Storage extends AutoCloseable {

    BlobStore blobs();

    RecordIndex index();

    KeyringStore keyring();

    /** Flushes and releases everything; idempotent. */
    @Override
    void close();
}
