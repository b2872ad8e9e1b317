/**
 * The link-state router behind {@code org.clatter.spi.routing} (spec §6): edges from our own link measurements and
 * from neighbours' link-state records, shortest paths by a delivery-based cost, next hop and reachability.
 */
package org.clatter.mdp.internal.route;
