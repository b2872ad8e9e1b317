package org.clatter.mdp.internal.route;

import java.util.Optional;
import org.clatter.spi.provider.Config;
import org.clatter.spi.routing.NodeId;
import org.clatter.spi.routing.Router;
import org.clatter.spi.routing.RoutingProvider;

/** Provider {@code "serval-linkstate"}: servald-style link-state routing with a delivery-based metric. */
public final class MdpRoutingProvider implements RoutingProvider {
    @Override
    public String name() {
        return "serval-linkstate";
    }

    @Override
    public String description() {
        return "Serval link-state routing (next hop by measured delivery, not hop count)";
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
    public Router create(NodeId self, Config config) {
        return new LinkStateRouter(self, config.getLong("routing.advert_timeout_ms", 6000) * 1_000_000L,
                config.getLong("routing.hold_down_ms", 3000) * 1_000_000L);
    }
}
