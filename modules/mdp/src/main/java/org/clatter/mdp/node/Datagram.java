package org.clatter.mdp.node;

import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine.Security;

/**
 * One datagram delivered to a bound {@link MdpSocket}: who sent it from which port, which local SID and port it
 * was addressed to ({@link Sid#BROADCAST} for a broadcast), how it was protected on the wire, and when it arrived
 * (the node's clock, nanoseconds).
 */
public record Datagram(Sid from, long fromPort, Sid to, long toPort, Security security, byte[] data, long nanos) {
}
