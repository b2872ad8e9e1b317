package org.clatter.clacks.mdp;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clatter.clacks.ClacksException;
import org.clatter.clacks.PeerAddress;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.keyring.Keyring;
import org.clatter.mdp.node.Instance;
import org.clatter.mdp.node.MdpNode;
import org.clatter.spi.crypto.Crypto;

/**
 * An in-process real-time MDP node with the Clacks socket bound, for {@code clatter clacks run --mesh-interface}:
 * the node's identities come from an instance directory's keyring (PIN from {@code CLATTER_PIN}) or, without one,
 * from a fresh identity for this run. It does not attach to a {@code clatter start} daemon: it is a node of its
 * own, so give it a keyring no running daemon uses.
 */
public final class MdpClacksMesh implements AutoCloseable {
    private final MdpNode node;
    private final MdpClacksDatagrams datagrams;

    private MdpClacksMesh(MdpNode node, MdpClacksDatagrams datagrams) {
        this.node = node;
        this.datagrams = datagrams;
    }

    /**
     * Starts the node on {@code interfaces} ({@code udp:ADDR/PREFIX[:PORT]}; {@code udpPeers} {@code ADDR[:PORT]}
     * get its broadcasts by unicast) and binds Clacks on {@code port}.
     *
     * @throws ClacksException with what to fix when the keyring, an interface or the port cannot be used
     */
    public static MdpClacksMesh start(Optional<Path> instance, List<String> interfaces, List<String> udpPeers,
                                      int port) {
        if (interfaces.isEmpty()) {
            throw new ClacksException("the mesh needs at least one --mesh-interface udp:ADDR/PREFIX[:PORT]");
        }
        MdpNode node = null;
        try {
            Crypto crypto = MdpCrypto.load();
            List<Identity> ids;
            if (instance.isPresent()) {
                Keyring k = Instance.resolve(instance.get().toString(), null, System.getenv()).loadKeyring(crypto);
                if (k.size() == 0) {
                    throw new ClacksException("the keyring in " + instance.get() + " has no identity; run `clatter"
                            + " keyring add --instance " + instance.get() + "` first, or omit --mesh-instance");
                }
                ids = k.identities();
            } else {
                ids = List.of(Identity.generate(crypto, "", "clacks"));
            }
            node = MdpNode.realTime(crypto, ids, new SecureRandom().nextLong());
            for (String i : interfaces) {
                node.addInterface(i, udpPeers);
            }
            node.start();
            return new MdpClacksMesh(node, MdpClacksDatagrams.open(node, port));
        } catch (MdpException e) {
            if (node != null) {
                node.close();
            }
            throw new ClacksException("cannot start the mesh node: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (node != null) {
                node.close();
            }
            throw e;
        }
    }

    /** The Clacks datagram service on the node. */
    public MdpClacksDatagrams datagrams() {
        return datagrams;
    }

    /** This node's Clacks address on the mesh, {@code sid-<hex>:<port>}. */
    public PeerAddress self() {
        return datagrams.self();
    }

    /** The node's interfaces as given. */
    public List<String> interfaces() {
        return node.interfaces();
    }

    /** The adapter's counters. */
    public Map<String, Long> counters() {
        return datagrams.counters();
    }

    @Override
    public void close() {
        datagrams.close();
        node.close();
    }
}
