/**
 * The transport conformance suite (TCK): an abstract, property-based JUnit suite,
 * {@link org.clatter.transport.tck.TransportConformanceTest}, that every transport plugin subclasses in its
 * own tests, and {@link org.clatter.transport.tck.RecordingFrameSink}, a {@code FrameSink} that records what a
 * link delivers and checks that it follows the claim/publish protocol.
 *
 * <p>This module is a test kit: plugins depend on it with {@code test} scope, so it is never part of a runtime
 * image (it needs JUnit and QuickTheories, the latter an automatic module).
 */
module org.clatter.transport.tck {
    requires transitive org.clatter.spi.transport;
    requires transitive org.junit.jupiter.api;
    requires quicktheories;

    exports org.clatter.transport.tck;
    opens org.clatter.transport.tck to org.junit.platform.commons;
}
