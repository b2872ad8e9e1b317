/**
 * The sans-I/O swarm engine (spec {@code dxos-signal.md} §4): joins, leaves, drops, bus messages and the clock
 * go in; stream events, deliveries, publications and subscriptions come out through
 * {@link org.clatter.signal.engine.SwarmEngine.Output}, and {@link org.clatter.signal.engine.SwarmEngine#nextDeadline()}
 * says when to call {@link org.clatter.signal.engine.SwarmEngine#tick()} next. Single-threaded; runs on the
 * server's engine thread and, in tests, on a {@link org.clatter.core.time.VirtualClock}.
 */
package org.clatter.signal.engine;
