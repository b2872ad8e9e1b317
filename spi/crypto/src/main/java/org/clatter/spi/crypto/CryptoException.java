package org.clatter.spi.crypto;

import org.clatter.spi.provider.ProviderException;

/** A crypto provider could not be created or was misused (wrong lengths); expected failures return false instead. */
public class CryptoException extends ProviderException {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
