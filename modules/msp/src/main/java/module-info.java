/**
 * Clatter MSP: Serval's Mesh Streaming Protocol, reliable ordered message streams over MDP datagrams,
 * wire-compatible with servald (spec: {@code shared/specs/serval-wire.md} §8 and
 * {@code shared/specs/serval-rhizome-sync.md} §10).
 *
 * <ul>
 *   <li>{@code org.clatter.msp}: the sans-I/O {@link org.clatter.msp.MspEngine} (listen, connect, send with
 *       back-pressure, half-close, close, stop), its handler interfaces, stream adapters, and
 *       {@link org.clatter.msp.MspDatagramLayer}, the small interface the MDP socket implements to carry it;</li>
 *   <li>{@code org.clatter.msp.codec}: the MSP packet header codec (flags byte, little-endian ack and seq) and
 *       Clatter's negotiated selective-acknowledgement extension;</li>
 *   <li>{@code org.clatter.msp.mdp}: MSP carried in crypted MDP frames of a mesh engine, and an MSP engine run on
 *       a mesh node's engine thread;</li>
 *   <li>{@code org.clatter.msp.cli}: the {@code clatter msp} commands (listen, connect, send-file, receive-file)
 *       and {@link org.clatter.msp.cli.MspNodeService}, the node service that answers them in a running node.</li>
 * </ul>
 *
 * <p>Provides {@link org.clatter.mdp.node.NodeService} {@code "msp"}: the node daemon runs MSP on its MDP node.
 */
module org.clatter.msp {
    requires transitive org.clatter.core;
    requires transitive org.clatter.mdp;

    exports org.clatter.msp;
    exports org.clatter.msp.codec;
    exports org.clatter.msp.mdp;
    exports org.clatter.msp.cli;

    uses org.clatter.spi.transport.TransportProvider;

    provides org.clatter.mdp.node.NodeService with org.clatter.msp.cli.MspNodeService;
}
