package org.clatter.spi.transport;

/**
 * Result codes of {@link Link#send} and {@link Link#broadcast}: zero is success, negative codes are the
 * expected failures, reported rather than thrown.
 */
public final class SendResult {
    /** The frame was handed to the medium. */
    public static final int SENT = 0;
    /** The medium is busy (socket buffer full, radio queue full): try again later. */
    public static final int BACK_PRESSURED = -1;
    /** The link is closed. */
    public static final int CLOSED = -2;
    /** The frame is larger than {@link LinkInfo#mtu()}. */
    public static final int TOO_LARGE = -3;
    /** The destination is not on this link (wrong address kind, unreachable host). */
    public static final int UNREACHABLE = -4;
    /** The link cannot broadcast. */
    public static final int NO_BROADCAST = -5;
    /** The link is not {@link LinkState#ACTIVE}. */
    public static final int DOWN = -6;
    /** The medium reported an I/O error; the link counts it and stays open. */
    public static final int IO_ERROR = -7;

    private SendResult() {
    }

    /** A readable name for a code, for logs and counters. */
    public static String describe(int code) {
        return switch (code) {
            case SENT -> "sent";
            case BACK_PRESSURED -> "back_pressured";
            case CLOSED -> "closed";
            case TOO_LARGE -> "too_large";
            case UNREACHABLE -> "unreachable";
            case NO_BROADCAST -> "no_broadcast";
            case DOWN -> "down";
            case IO_ERROR -> "io_error";
            default -> "unknown(" + code + ")";
        };
    }
}
