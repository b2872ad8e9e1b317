package org.clatter.spi.transport;

import org.clatter.spi.provider.ProviderException;

/** A transport could not be created or a link could not be opened; the message says which setting or resource. */
public class TransportException extends ProviderException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
