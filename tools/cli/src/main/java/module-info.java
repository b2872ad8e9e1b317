/**
 * The {@code clatter} command: {@code clatter --version}, {@code clatter providers} and the node, protocol and
 * demo commands that the protocol modules contribute. Entry point: {@link org.clatter.tools.cli.Clatter}.
 */
module org.clatter.tools.cli {
    requires org.clatter.core;
    requires org.clatter.spi.crypto;
    requires org.clatter.spi.routing;
    requires org.clatter.spi.storage;
    requires org.clatter.mdp;
    requires org.clatter.clacks;
    requires org.clatter.signal;
    requires org.clatter.rhizome;
    requires org.clatter.msp;

    uses org.clatter.spi.transport.TransportProvider;
    uses org.clatter.spi.crypto.CryptoProvider;
    uses org.clatter.spi.routing.RoutingProvider;
    uses org.clatter.spi.storage.StorageProvider;
    uses org.clatter.mdp.node.NodeService;

    exports org.clatter.tools.cli;
}
