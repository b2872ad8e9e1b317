package org.clatter.msp;

/** A misuse of the MSP API, or a stream that failed; the message says what to do about it. */
public class MspException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MspException(String message) {
        super(message);
    }

    public MspException(String message, Throwable cause) {
        super(message, cause);
    }
}
