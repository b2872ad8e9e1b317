package org.clatter.msp;

/**
 * What MSP needs from the datagram layer under it (the MDP socket in a node; a simulated or loopback channel in
 * tests): send one payload from a local SID+port to a remote SID+port, bind ports, and hand every datagram that
 * arrives on a bound port to {@link MspEngine#receive} (or {@link MspEngine#onDatagram} when the engine drives
 * itself), on the engine's thread. The MDP layer carries MSP unicast with its default crypto (crypto_box).
 */
public interface MspDatagramLayer {
    /** {@link #send} result: handed to the layer. */
    int SENT = 0;
    /** {@link #send} result: the layer's queue is full now; MSP tries again later. */
    int BACK_PRESSURED = -1;
    /** {@link #send} result: no route or no such local identity; MSP keeps retrying until its timeout. */
    int UNREACHABLE = -2;

    /**
     * Sends {@code len} bytes of {@code buf} from {@code local} to {@code remote}. The bytes are valid only during
     * the call; a layer that queues them copies them.
     *
     * @return {@link #SENT}, {@link #BACK_PRESSURED} or {@link #UNREACHABLE}
     */
    int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len);

    /**
     * As {@link #send}, saying whether a copy of this packet resent by the layer below much later would be harmless
     * ({@code lateCopySafe}). MSP says so for its data (whose late copies it recognises) and for acks while the
     * stream is slow; not for acks of a fast stream, whose 16-bit seqs may wrap before a late copy arrives. A layer
     * that repairs hop by hop (MDP) repairs only what is safe; the default ignores the hint.
     */
    default int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len, boolean lateCopySafe) {
        return send(local, remote, buf, off, len);
    }

    /** The largest MSP packet (preamble included) one datagram carries: MDP's 1160 minus crypto and port header. */
    int maxPacketSize();

    /**
     * Starts delivering datagrams for {@code local} to the engine. A port of 0 asks for a free (ephemeral) port; an
     * all-zero SID asks for every local identity. Returns the address actually bound.
     *
     * @throws MspException if the port is taken or the identity is not ours
     */
    MspAddress bind(MspAddress local);

    /** Stops delivering datagrams for an address {@link #bind} returned. */
    void unbind(MspAddress local);

    /** The node's primary identity (for "listen on the primary SID"), with port 0. */
    MspAddress primaryIdentity();

    /** What the layer counted (frames sent, dropped and why), by name; empty for a layer that counts nothing. */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }
}
