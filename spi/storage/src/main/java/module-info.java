/**
 * Storage SPI: a content-addressed {@link org.clatter.spi.storage.BlobStore} for payloads of any size
 * (streamed, never held whole in memory), a {@link org.clatter.spi.storage.RecordIndex} of small records
 * queried by attribute and by "changed since", and {@link org.clatter.spi.storage.KeyringStore} for the
 * node's encrypted keyring. Rhizome's SQLite store is the default provider; an optional Chronicle plugin
 * may provide another.
 */
module org.clatter.spi.storage {
    requires transitive org.clatter.spi.provider;

    exports org.clatter.spi.storage;
}
