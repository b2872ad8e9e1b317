/**
 * MSP streams. {@link org.clatter.msp.MspEngine} is a single-threaded, sans-I/O state machine: datagrams and the
 * current time go in ({@link org.clatter.msp.MspEngine#receive}, {@link org.clatter.msp.MspEngine#processing}),
 * datagrams go out through {@link org.clatter.msp.MspDatagramLayer}, events go to
 * {@link org.clatter.msp.MspHandler}, and {@code processing} answers when to call it again. It can instead drive
 * itself on an {@link org.clatter.core.time.Scheduler}.
 *
 * <pre>
 *   application ── send/shutdown/close/stop ──► MspConnection ─┐
 *        ▲                                                     │  tx window (4, or large + SACK with Clatter)
 *        └── onData/onWritable/onRemoteShutdown/onClosed ◄─ MspEngine ◄── receive(now, local, remote, bytes)
 *                                                              │
 *                                              MspDatagramLayer.send(local, remote, bytes) ──► MDP port
 * </pre>
 */
package org.clatter.msp;
