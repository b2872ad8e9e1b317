/**
 * DXOS MESH signaling: {@link org.clatter.signal.SignalServer} (configured by
 * {@link org.clatter.signal.SignalServerConfig}, observed through {@link org.clatter.signal.SignalMetrics}),
 * {@link org.clatter.signal.SignalClient} and the {@link org.clatter.signal.SignalCommand} behind
 * {@code clatter signal serve}.
 */
package org.clatter.signal;
