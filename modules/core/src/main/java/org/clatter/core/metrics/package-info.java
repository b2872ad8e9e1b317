/**
 * Counters and the error log. A {@link org.clatter.core.metrics.Counter} is looked up once from a
 * {@link org.clatter.core.metrics.CounterRegistry} by a dotted name (e.g. {@code packets.dropped.bad_mac}) and
 * then incremented on the hot path without allocating; {@link org.clatter.core.metrics.CounterRegistry#snapshot()}
 * reads them all for printing. The {@link org.clatter.core.metrics.ErrorLog} de-duplicates what engine loops
 * catch: the same site, type and message become one entry with a count and first/last time.
 */
package org.clatter.core.metrics;
