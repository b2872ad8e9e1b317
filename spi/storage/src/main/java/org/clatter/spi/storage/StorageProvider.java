package org.clatter.spi.storage;

import java.nio.file.Path;
import org.clatter.spi.provider.Config;
import org.clatter.spi.provider.ServiceProvider;

/** Opens storage in a directory (a node's instance directory). */
public interface StorageProvider extends ServiceProvider {

    /**
     * Opens (creating if needed) the storage under {@code directory}.
     *
     * @throws StorageException when the directory cannot be used or holds an incompatible store
     */
    Storage open(Path directory, Config config);
}
