package org.clatter.signal;

/** A signaling operation that cannot go on; the message says what to do about it. */
public final class SignalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SignalException(String message) {
        super(message);
    }

    public SignalException(String message, Throwable cause) {
        super(message, cause);
    }
}
