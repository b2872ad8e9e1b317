package org.clatter.signal.ws;

/** A peer broke RFC 6455; {@link #closeCode()} is the status code to close with (1002, 1007, 1009, ...). */
public final class WsProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int closeCode;

    public WsProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
