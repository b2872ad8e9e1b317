package org.clatter.msp;

/**
 * Events of one connection, called on the engine's thread. Callbacks may call back into the connection
 * (send, shutdown, stop). Serval's MSP client API has one handler told of the same events through state bits.
 */
public interface MspHandler {

    /**
     * One whole message, in order, exactly once. The bytes are valid only during the call; copy what you keep.
     * Call {@link MspConnection#pauseReceiving()} to stop further deliveries (the peer is then held back by its
     * window).
     */
    void onData(MspConnection connection, byte[] buf, int off, int len);

    /** {@link MspConnection#send} reported back-pressure earlier and the window has room again. */
    default void onWritable(MspConnection connection) {
    }

    /** The peer shut down its direction: no more data will arrive; this side may still send. */
    default void onRemoteShutdown(MspConnection connection) {
    }

    /** The connection failed; {@link #onClosed} follows at once. */
    default void onError(MspConnection connection, MspException error) {
    }

    /** The connection is over; called exactly once per connection. */
    default void onClosed(MspConnection connection, MspCloseReason reason) {
    }
}
