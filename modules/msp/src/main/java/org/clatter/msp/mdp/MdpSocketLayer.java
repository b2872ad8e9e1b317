package org.clatter.msp.mdp;

import java.util.HashMap;
import java.util.Map;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine.Security;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.MdpSocket;
import org.clatter.mdp.node.MdpSockets;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspDatagramLayer;
import org.clatter.msp.MspEngine;
import org.clatter.msp.MspException;

/**
 * {@link MspDatagramLayer} on an {@link MdpNode}'s sockets: every MSP port is an {@link MdpSocket} bound through
 * {@link MdpSockets#bind}, so MSP and every other service of the node share one port table (binding a port that
 * a ping, a trace or an application holds fails, and the other way round). Every MSP packet is one crypted
 * ({@code crypto_box}) unicast MDP frame; frames that were not crypted are counted and dropped.
 *
 * <p>Single-threaded: every method runs on the node's engine thread (inside {@link MdpNode#call} or a receive
 * handler), which is also the MSP engine's scheduler thread.
 */
public final class MdpSocketLayer implements MspDatagramLayer {
    private final MdpSockets sockets;
    private final Sid self;
    private final MspAddress primary;
    private final HashMap<Integer, Open> open = new HashMap<>();
    private final AddressCache addresses = new AddressCache();
    private MspEngine engine;
    private long sent;
    private long unreachable;
    private long delivered;
    private long notCrypted;

    private record Open(MspAddress address, MdpSocket socket) {
    }

    /** The layer on {@code node}'s sockets; call {@link #attach} before the first datagram can arrive. */
    public MdpSocketLayer(MdpNode node) {
        this.sockets = node.sockets();
        this.self = node.sid();
        this.primary = MspAddress.of(self.toBytes(), 0);
    }

    /** The engine datagrams are delivered to ({@link MspEngine#onDatagram}). */
    public void attach(MspEngine mspEngine) {
        this.engine = mspEngine;
    }

    @Override
    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
        return send(local, remote, buf, off, len, org.clatter.msp.codec.MspHeader.isData(buf, off, len));
    }

    /**
     * MSP data and the acks of a slow stream ask for MDP's per-hop acks (hop by hop repair on lossy radio); the
     * acks of a fast stream do not: a copy MDP resent 300 ms late could read as new once the stream's 16-bit seqs
     * wrapped.
     */
    @Override
    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len, boolean lateCopySafe) {
        Open o = open.get(local.port());
        if (o == null) {
            unreachable++;
            return UNREACHABLE;
        }
        Sid to = addresses.sid(remote);
        long port = Integer.toUnsignedLong(remote.port());
        boolean ok = lateCopySafe
                ? o.socket.send(to, port, Security.CRYPTED, buf, off, len)
                : o.socket.sendWithoutHopAck(to, port, Security.CRYPTED, buf, off, len);
        if (!ok) {
            unreachable++;
            return UNREACHABLE;
        }
        sent++;
        return SENT;
    }

    @Override
    public int maxPacketSize() {
        return MdpDatagramLayer.packetRoom();
    }

    @Override
    public MspAddress bind(MspAddress local) {
        Sid sid = local.isAnyIdentity() ? Sid.ANY : Sid.of(local.sid());
        MdpSocket socket;
        try {
            socket = sockets.bindLent(sid, Integer.toUnsignedLong(local.port()), this::datagram);
        } catch (MdpException e) {
            throw new MspException(e.getMessage());
        }
        MspAddress a = local.withPort((int) socket.port());
        open.put(a.port(), new Open(a, socket));
        return a;
    }

    @Override
    public void unbind(MspAddress local) {
        Open o = open.get(local.port());
        if (o != null && o.address.equals(local)) {
            open.remove(local.port());
            o.socket.close();
        }
    }

    @Override
    public MspAddress primaryIdentity() {
        return primary;
    }

    /** A datagram to an MSP port; its bytes are lent ({@link MdpSockets.LentHandler}) and MSP copies what it keeps. */
    private void datagram(Sid from, long fromPort, Sid to, long toPort, Security security, byte[] buf, int off,
                          int len, long nanos) {
        if (security != Security.CRYPTED || to.isBroadcast()) {
            notCrypted++;
            return;
        }
        if (engine == null) {
            return;
        }
        delivered++;
        MspAddress local = addresses.address(to, (int) toPort);
        engine.onDatagram(local, addresses.address(from, (int) fromPort), buf, off, len);
    }

    /** Counters: frames sent, unreachable sends, frames delivered, dropped as not crypted. */
    public Map<String, Long> counters() {
        return Map.of("msp.mdp.sent", sent, "msp.mdp.unreachable", unreachable, "msp.mdp.delivered", delivered,
                "msp.mdp.not_crypted", notCrypted);
    }
}
