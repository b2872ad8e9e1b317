package org.clatter.msp;

/** Why a connection ended; {@link MspHandler#onClosed} is told exactly once. */
public enum MspCloseReason {
    /** Both sides shut down and every packet was acknowledged: all data arrived both ways. */
    NORMAL(false),
    /** This side called {@link MspConnection#stop()}. */
    STOPPED_LOCALLY(false),
    /** The peer sent STOP (abort) before the stream finished. */
    STOPPED_BY_PEER(true),
    /** Nothing was heard from the peer for the connection timeout (servald: 10 s). */
    TIMEOUT(true),
    /** {@link MspConnection#close()} was called and the peer did not shut down within the linger time. */
    LINGER_EXPIRED(true),
    /** The engine was closed. */
    ENGINE_CLOSED(false);

    private final boolean error;

    MspCloseReason(boolean error) {
        this.error = error;
    }

    /** True if {@link MspHandler#onError} was called before {@link MspHandler#onClosed}. */
    public boolean isError() {
        return error;
    }
}
