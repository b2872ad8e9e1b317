/**
 * The simulated network ({@link org.clatter.transport.sim.SimNetwork}), its link profiles and statistics,
 * and the {@code "sim"} transport provider.
 */
package org.clatter.transport.sim;
