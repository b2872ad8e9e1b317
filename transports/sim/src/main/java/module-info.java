/**
 * The simulated network: an in-process medium on a {@link org.clatter.core.time.VirtualScheduler}, so whole
 * meshes of Clatter nodes run deterministically from a seed, thousands of nodes in one JVM.
 *
 * <p>Build a {@link org.clatter.transport.sim.SimNetwork}, add nodes and links with a
 * {@link org.clatter.transport.sim.LinkProfile} (loss, latency, jitter, bandwidth, MTU, duplication,
 * reordering, broadcast), take each node's {@code Transport} from it, and drive time with the scheduler.
 * The {@code "sim"} {@link org.clatter.spi.transport.TransportProvider} creates the same transports from
 * configuration ({@code sim.network}, {@code sim.node}).
 */
module org.clatter.transport.sim {
    requires transitive org.clatter.spi.transport;
    requires transitive org.clatter.core;

    exports org.clatter.transport.sim;

    provides org.clatter.spi.transport.TransportProvider with org.clatter.transport.sim.SimTransportProvider;
}
