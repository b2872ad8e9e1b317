package org.clatter.clacks;

/**
 * Carries request bodies to peers: HTTPS today ({@code clacks-p2p} compatible), MDP sockets on the mesh later.
 * Inbound requests reach the node through {@link ClacksNode#receive(byte[], int, int)}, whatever carried them.
 */
public interface ClacksTransport extends AutoCloseable {

    /** The request never got an answer in time. */
    int TIMEOUT = -1;
    /** Connection refused or reset, TLS failure, unresolvable name. */
    int NETWORK_ERROR = -2;
    /** The transport was closed or cannot reach this kind of address. */
    int UNREACHABLE = -3;
    /**
     * The body is larger than this transport can carry to that peer (one MDP datagram on the mesh): the peer is
     * not blamed, the message goes back to the queue for peers on other carriers.
     */
    int TOO_LARGE = -4;

    /**
     * Sends one body; calls {@code done} exactly once, from any thread, with the peer's status (200 is the only
     * success) or one of the negative codes above. Must not block.
     */
    void send(PeerAddress peer, byte[] body, Completion done);

    @Override
    void close();

    /** Receives the outcome of one {@link #send}. */
    @FunctionalInterface
    interface Completion {
        void completed(int status);
    }
}
