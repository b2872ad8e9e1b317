package org.clatter.mdp.node;

import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine.Security;

/**
 * A bound MDP port on one local identity (or on all of them): what MSP, Clacks or an application plugs into. Get
 * one from {@link MdpSockets#bind}. Every method must run on the node's engine thread (inside
 * {@link MdpNode#call}, or in a receive handler); received datagrams arrive on that thread too.
 */
public interface MdpSocket extends AutoCloseable {
    /** The local identity this socket sends from. */
    Sid sid();

    /** The bound port (an ephemeral one from 257 up when 0 was asked for). */
    long port();

    /**
     * Sends {@code data} to {@code to}:{@code port}, protected as {@code security} asks (CRYPTED is servald's
     * default for unicast).
     *
     * @return false when there is no route to {@code to} now (counted; the caller may retry)
     */
    boolean send(Sid to, long port, Security security, byte[] data);

    /**
     * Sends {@code data[off, off + len)}, as {@link #send(Sid, long, Security, byte[])}; the bytes may be reused as
     * soon as it returns.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code data}
     */
    default boolean send(Sid to, long port, Security security, byte[] data, int off, int len) {
        return send(to, port, security, java.util.Arrays.copyOfRange(data, off, off + len));
    }

    /**
     * As {@link #send(Sid, long, Security, byte[], int, int)}, but this one datagram asks for no per-hop ack and is
     * never resent hop by hop ({@link org.clatter.mdp.engine.MeshEngine#sendWithoutHopAck}): for messages a later
     * one supersedes, such as MSP's acks.
     */
    default boolean sendWithoutHopAck(Sid to, long port, Security security, byte[] data, int off, int len) {
        return send(to, port, security, data, off, len);
    }

    /** Floods {@code data} to {@code port} on every node within {@code ttl} hops, SIGNED or PLAIN. */
    void broadcast(long port, Security security, byte[] data, int ttl);

    /**
     * Declares that this socket's datagrams are retransmitted end to end by what sends them (MSP streams are: their
     * own acks and resends), so MDP sends them without asking the next hop for a per-hop ack
     * ({@link org.clatter.mdp.engine.MeshEngine#endToEnd}). Off by default, as servald: every unicast frame is
     * acknowledged and resent hop by hop.
     */
    void endToEnd(boolean on);

    /** Unbinds the port. */
    @Override
    void close();
}
