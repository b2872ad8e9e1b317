/**
 * Transport SPI: how Clatter reaches a medium (UDP, serial packet radio, Bluetooth, the simulated network).
 *
 * <p>A {@link org.clatter.spi.transport.TransportProvider} creates a
 * {@link org.clatter.spi.transport.Transport}, which opens {@link org.clatter.spi.transport.Link}s (interfaces).
 * A link sends frames to a link-layer address or broadcasts, and writes the frames it receives straight into
 * slots claimed from a {@link org.clatter.spi.transport.FrameSink} (the pipeline's inbound ring): no copy and
 * no allocation per frame. Third-party transports check themselves with the conformance suite in
 * {@code conformance/transport-tck}.
 */
module org.clatter.spi.transport {
    requires transitive org.clatter.spi.provider;

    exports org.clatter.spi.transport;
}
