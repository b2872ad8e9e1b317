package org.clatter.spi.storage;

import java.util.Optional;

/**
 * Persistence of a node's keyring as one opaque, already encrypted byte string. Saving is atomic (write a new
 * file, then rename).
 */
public interface KeyringStore {

    Optional<byte[]> load();

    void save(byte[] encryptedKeyring);
}
