/**
 * Routing SPI: a {@link org.clatter.spi.routing.Router} takes observations of links and of other nodes'
 * link-state adverts, and answers next-hop and reachability questions. The default router (Serval's
 * link-state routing) lives with MDP; the simulated network can swap in others for comparison.
 */
module org.clatter.spi.routing {
    requires transitive org.clatter.spi.provider;

    exports org.clatter.spi.routing;
}
