/**
 * Clatter MDP: a node that speaks Serval DNA's mesh datagram protocol.
 *
 * <ul>
 *   <li>{@code org.clatter.mdp}: identities (SID, Signing ID, box secret) and the module's exception;</li>
 *   <li>{@code org.clatter.mdp.keyring}: the Clatter keyring file, and import of servald's keyring dump text and
 *       binary keyring file;</li>
 *   <li>{@code org.clatter.mdp.codec}: zero-copy flyweights and writers for the UDP overlay packet, its frames,
 *       subscriber addresses, MDP port headers and link-state records (spec: {@code shared/specs/serval-wire.md}
 *       §3 to §7);</li>
 *   <li>{@code org.clatter.mdp.engine}: the sans-I/O node engine (neighbours, link-state routing, forwarding,
 *       flooding, crypto, echo); the router itself is the {@code "serval-linkstate"}
 *       {@link org.clatter.spi.routing.RoutingProvider};</li>
 *   <li>{@code org.clatter.mdp.tools}: a libpcap reader and the {@code clatter overlay decode} report;</li>
 *   <li>{@code org.clatter.mdp.node}: the node runtime on real or virtual time, the sockets API with the trace
 *       and DNA lookup services, the instance directory and the local control channel;</li>
 *   <li>{@code org.clatter.mdp.cli}: the node commands ({@code keyring}, {@code start}, {@code run}, {@code stop},
 *       {@code status}, {@code id}, {@code route}, {@code mdp}) and {@code clatter demo}.</li>
 * </ul>
 *
 * <p>The node daemon runs every {@link org.clatter.mdp.node.NodeService} found with {@link java.util.ServiceLoader}
 * (MSP relaying and Rhizome sync come from {@code org.clatter.msp} and {@code org.clatter.rhizome}; other modules
 * may add their own with {@code provides org.clatter.mdp.node.NodeService with ...}).
 *
 * <p>Cryptography comes from {@link org.clatter.spi.crypto.CryptoProvider}, found with {@link java.util.ServiceLoader}.
 */
module org.clatter.mdp {
    requires transitive org.clatter.spi.crypto;
    requires transitive org.clatter.spi.routing;
    requires transitive org.clatter.spi.transport;
    requires transitive org.clatter.core;
    requires transitive org.clatter.transport.sim;

    exports org.clatter.mdp;
    exports org.clatter.mdp.keyring;
    exports org.clatter.mdp.codec;
    exports org.clatter.mdp.tools;
    exports org.clatter.mdp.engine;
    exports org.clatter.mdp.node;
    exports org.clatter.mdp.cli;

    uses org.clatter.spi.crypto.CryptoProvider;
    uses org.clatter.spi.transport.TransportProvider;
    uses org.clatter.mdp.node.NodeService;

    provides org.clatter.spi.routing.RoutingProvider with org.clatter.mdp.internal.route.MdpRoutingProvider;
}
