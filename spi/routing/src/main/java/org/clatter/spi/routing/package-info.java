/** Routing service interfaces: {@link org.clatter.spi.routing.RoutingProvider}, {@link org.clatter.spi.routing.Router}. */
package org.clatter.spi.routing;
