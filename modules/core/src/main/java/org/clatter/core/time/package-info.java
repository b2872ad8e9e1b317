/**
 * Clocks and schedulers: {@link org.clatter.core.time.Clock} with the real
 * {@link org.clatter.core.time.SystemClock} and the simulated {@link org.clatter.core.time.VirtualClock};
 * {@link org.clatter.core.time.Scheduler} with the deterministic
 * {@link org.clatter.core.time.VirtualScheduler} (and a real-time one for nodes on real sockets).
 */
package org.clatter.core.time;
