package org.clatter.clacks;

import java.util.function.BiConsumer;

/**
 * A datagram service Clacks can run over: on the Serval mesh, MDP sockets (a peer is named by its SID, e.g.
 * hostname {@code sid-<64 hex>}, and an MDP port). {@link DatagramClacksTransport} carries Clacks requests and
 * answers over it, so phones with no IP infrastructure can gossip.
 */
public interface ClacksDatagrams {

    /** The largest datagram {@link #send} accepts. */
    int maxDatagram();

    /** Sends one datagram; false when it cannot go now (no route, too large, closed). Must not block. */
    boolean send(PeerAddress to, byte[] datagram);

    /** Where received datagrams go, with the sender's address; set once, before the first datagram arrives. */
    void onDatagram(BiConsumer<PeerAddress, byte[]> receiver);
}
