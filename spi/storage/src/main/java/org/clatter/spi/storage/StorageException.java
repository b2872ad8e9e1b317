package org.clatter.spi.storage;

import org.clatter.spi.provider.ProviderException;

/** Storage could not be opened, read or written; the message names the file or directory. */
public class StorageException extends ProviderException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
