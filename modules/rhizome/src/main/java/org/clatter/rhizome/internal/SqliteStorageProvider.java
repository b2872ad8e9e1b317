package org.clatter.rhizome.internal;

import java.nio.file.Path;
import java.util.Optional;
import org.clatter.spi.provider.Config;
import org.clatter.spi.storage.Storage;
import org.clatter.spi.storage.StorageProvider;

/**
 * The default storage provider, {@code "sqlite"}: a record index in SQLite ({@code rhizome.db}, WAL) and blobs in
 * content-addressed files ({@code blobs/XX/<sha512>}), under the node's instance directory.
 */
public final class SqliteStorageProvider implements StorageProvider {
    private static volatile Optional<String> cause;

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    @Override
    public Optional<String> unavailabilityCause() {
        Optional<String> c = cause;
        if (c == null) {
            try {
                org.sqlite.SQLiteJDBCLoader.initialize();
                c = Optional.empty();
            } catch (Exception | LinkageError e) {
                c = Optional.of("the SQLite native library of org.xerial.sqlitejdbc did not load (" + e
                        + "); run with --enable-native-access=org.xerial.sqlitejdbc and a writable java.io.tmpdir");
            }
            cause = c;
        }
        return c;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Storage open(Path directory, Config config) {
        return SqliteStorage.open(directory);
    }
}
