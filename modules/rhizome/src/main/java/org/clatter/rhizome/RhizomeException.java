package org.clatter.rhizome;

/** A Rhizome operation failed; the message says what was wrong and what to do. */
public class RhizomeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RhizomeException(String message) {
        super(message);
    }

    public RhizomeException(String message, Throwable cause) {
        super(message, cause);
    }
}
