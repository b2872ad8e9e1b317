package org.clatter.spi.routing;

import org.clatter.spi.provider.Config;
import org.clatter.spi.provider.ServiceProvider;

/** Creates routers; one router per node. */
public interface RoutingProvider extends ServiceProvider {

    /**
     * A new router for the node whose identity is {@code self}.
     *
     * @param config router settings (e.g. metric thresholds)
     */
    Router create(NodeId self, Config config);
}
