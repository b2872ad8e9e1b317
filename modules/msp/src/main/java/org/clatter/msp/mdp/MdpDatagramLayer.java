package org.clatter.msp.mdp;

import java.util.Map;
import java.util.TreeMap;
import org.clatter.core.time.Clock;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspDatagramLayer;
import org.clatter.msp.MspEngine;
import org.clatter.msp.MspException;

/**
 * {@link MspDatagramLayer} on a {@link MeshEngine}: every MSP packet is one unicast MDP frame, crypted
 * ({@code crypto_box}) and signed as MDP's default, from the local MSP port to the remote one. Frames the mesh
 * delivers ({@link #datagram}, a {@link MeshEngine.Listener}) on a bound port go to
 * {@link MspEngine#onDatagram}; frames that were not crypted, or arrive on unbound ports, are counted and dropped.
 *
 * <p>Single-threaded: every method runs on the thread that drives the mesh engine (which is also the MSP
 * engine's scheduler thread). {@code afterSend} is run after each frame is queued so the driver polls the mesh
 * engine soon (on a {@link org.clatter.mdp.engine.MeshNode} that happens anyway after every task).
 */
public final class MdpDatagramLayer implements MspDatagramLayer, MeshEngine.Listener {
    /** MDP's payload limit (servald's MDP_MTU). */
    public static final int MDP_MTU = 1160;
    /** crypto_box nonce and MAC carried in a crypted frame. */
    public static final int CRYPTO_BYTES = 40;
    /** The largest port header (two 5-byte varints). */
    public static final int PORT_HEADER_BYTES = 10;
    /**
     * The largest MSP packet: servald's 1,024-byte message (MSP_MESSAGE_SIZE, MSP's own limit) and the 5-byte
     * preamble. One crypted frame of {@link MeshEngine} carries it on any path: {@link MeshEngine#MAX_CRYPTED_PAYLOAD}
     * less the widest port header is 1,033 bytes (abbreviated addresses; it was 1,000 with full SIDs).
     */
    public static final int MAX_PACKET = 1024 + 5;
    /** The first ephemeral port, as servald. */
    public static final int FIRST_EPHEMERAL_PORT = 257;

    private final MeshEngine mesh;
    private final Clock clock;
    private final Runnable afterSend;
    private final Sid self;
    private final MspAddress primary;
    private final TreeMap<Integer, MspAddress> bound = new TreeMap<>();
    private final AddressCache addresses = new AddressCache();
    private MspEngine engine;
    private int nextEphemeral = FIRST_EPHEMERAL_PORT;
    private long sent;
    private long unreachable;
    private long delivered;
    private long notCrypted;
    private long unbound;

    /**
     * @param mesh      the mesh engine (its listener must forward to {@link #datagram})
     * @param clock     the clock the mesh engine is driven on
     * @param afterSend run after every frame handed to the mesh, to get it polled
     */
    public MdpDatagramLayer(MeshEngine mesh, Clock clock, Runnable afterSend) {
        this.mesh = mesh;
        this.clock = clock;
        this.afterSend = afterSend;
        this.self = mesh.sid();
        this.primary = MspAddress.of(self.toBytes(), 0);
    }

    /** The engine frames are delivered to (automatic mode: {@link MspEngine#onDatagram}). */
    public void attach(MspEngine mspEngine) {
        this.engine = mspEngine;
    }

    @Override
    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
        return send(local, remote, buf, off, len, org.clatter.msp.codec.MspHeader.isData(buf, off, len));
    }

    @Override
    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len, boolean lateCopySafe) {
        // As MdpSocketLayer: only what a late copy cannot confuse asks for MDP's per-hop acks.
        Sid to = addresses.sid(remote);
        long dst = Integer.toUnsignedLong(remote.port());
        long src = Integer.toUnsignedLong(local.port());
        boolean ok = lateCopySafe
                ? mesh.send(to, dst, src, buf, off, len, clock.nanos())
                : mesh.sendWithoutHopAck(mesh.identity(), to, dst, src, MeshEngine.Security.CRYPTED, buf, off, len,
                        clock.nanos());
        afterSend.run();
        if (!ok) {
            unreachable++;
            return UNREACHABLE;
        }
        sent++;
        return SENT;
    }

    @Override
    public int maxPacketSize() {
        return packetRoom();
    }

    /** The largest MSP packet one crypted MDP frame carries (both MSP-over-MDP layers). */
    static int packetRoom() {
        return Math.min(MAX_PACKET, MDP_MTU - CRYPTO_BYTES - PORT_HEADER_BYTES);
    }

    @Override
    public MspAddress bind(MspAddress local) {
        if (!local.isAnyIdentity() && !local.sameSid(primary)) {
            throw new MspException("SID " + local.sidHex() + " is not an identity of this node (" + self
                    + "); bind to it or to every identity");
        }
        int port = local.port();
        if (port == 0) {
            for (int tries = 0; ; tries++) {
                if (tries > 0x10000) {
                    throw new MspException("no free MDP port; close some streams");
                }
                port = nextEphemeral;
                nextEphemeral = nextEphemeral == Integer.MAX_VALUE ? FIRST_EPHEMERAL_PORT : nextEphemeral + 1;
                if (!bound.containsKey(port)) {
                    break;
                }
            }
        } else if (bound.containsKey(port)) {
            throw new MspException("MDP port " + Integer.toUnsignedString(port)
                    + " is already bound; choose another port or close what uses it");
        }
        MspAddress a = local.withPort(port);
        bound.put(port, a);
        return a;
    }

    @Override
    public void unbind(MspAddress local) {
        MspAddress a = bound.get(local.port());
        if (a != null && a.equals(local)) {
            bound.remove(local.port());
        }
    }

    @Override
    public MspAddress primaryIdentity() {
        return primary;
    }

    @Override
    public void datagram(Sid from, long srcPort, Sid to, long dstPort, MeshEngine.Security security, byte[] data,
                         long nowNanos) {
        MspAddress b = bound.get((int) dstPort);
        if (b == null || engine == null || !to.equals(self)) {
            unbound++;
            return;
        }
        if (security != MeshEngine.Security.CRYPTED) {
            notCrypted++;
            return;
        }
        delivered++;
        engine.onDatagram(addresses.address(self, (int) dstPort), addresses.address(from, (int) srcPort), data, 0,
                data.length);
    }

    /** Counters: frames sent, unreachable sends, frames delivered, dropped as not crypted, dropped as unbound. */
    public Map<String, Long> counters() {
        return Map.of("msp.mdp.sent", sent, "msp.mdp.unreachable", unreachable, "msp.mdp.delivered", delivered,
                "msp.mdp.not_crypted", notCrypted, "msp.mdp.unbound", unbound);
    }
}
