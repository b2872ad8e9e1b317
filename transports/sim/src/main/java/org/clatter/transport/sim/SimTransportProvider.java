package org.clatter.transport.sim;

import java.util.Optional;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportException;
import org.clatter.spi.transport.TransportProvider;

/**
 * The {@code "sim"} provider: a transport onto a {@link SimNetwork} registered under the name in
 * {@code sim.network}; {@code sim.node} (optional) is the node whose link {@code open("")} opens.
 * Never chosen by default (lowest priority): a simulation is asked for by name.
 */
public final class SimTransportProvider implements TransportProvider {
    public static final String NETWORK = "sim.network";
    public static final String NODE = "sim.node";

    public SimTransportProvider() {
    }

    @Override
    public String name() {
        return SimAddress.KIND;
    }

    @Override
    public String description() {
        return "deterministic in-process simulated network (virtual time)";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return Optional.empty();
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Transport create(Config config) {
        String name = config.get(NETWORK).orElseThrow(() -> new TransportException(
                "set " + NETWORK + " to the name a SimNetwork was registered under (SimNetwork.register(name))"));
        SimNetwork net = SimNetwork.registered(name).orElseThrow(() -> new TransportException(
                "no SimNetwork registered as '" + name + "' (" + NETWORK + "); registered: "
                        + SimNetwork.registeredNames()));
        Optional<String> node = config.get(NODE);
        if (node.isPresent() && !net.hasNode(node.get())) {
            throw new TransportException("no node '" + node.get() + "' (" + NODE + ") in SimNetwork '" + name + "'");
        }
        return new SimTransport(net, node);
    }
}
