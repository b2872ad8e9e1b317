package org.clatter.clacks;

/** A Clacks node was misconfigured or misused; the message says what to change. */
public class ClacksException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClacksException(String message) {
        super(message);
    }

    public ClacksException(String message, Throwable cause) {
        super(message, cause);
    }
}
