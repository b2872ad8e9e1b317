package org.clatter.spi.provider;

/** A provider could not be selected or could not create its runtime object; the message says what to do. */
public class ProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
