/**
 * The packet pipeline, built on the LMAX Disruptor:
 *
 * <pre>
 *   link threads (UDP, serial, sim...)        engine thread                     drainer thread
 *   ----------------------------------        -------------                     --------------
 *   Link A --claim/fill/publish--+
 *   Link B --claim/fill/publish--+--&gt; [ InboundRing ] --poll--&gt; EngineLoop
 *   Link C --claim/fill/publish--+    multi-producer             |  PacketHandler.onFrame(frame)
 *          (FrameSink / FrameSlot)    preallocated slots         |  timers + tasks (Scheduler)
 *          full? -&gt; overflow slot,                               |
 *                  counted as dropped                            v
 *                                                        OutboundPublisher.send/broadcast
 *                                                                |
 *                                                                v
 *                                                       [ OutboundRing ] --batch--&gt; Link.send(dest, ...)
 *                                                        single-producer             Link.broadcast(...)
 *                                                        preallocated slots          SendResult counted
 * </pre>
 *
 * <p>{@link org.clatter.core.pipeline.Pipeline} assembles the whole flow. An engine implements
 * {@link org.clatter.core.pipeline.PacketHandler}, schedules with the {@link org.clatter.core.pipeline.EngineLoop}
 * (a {@link org.clatter.core.time.Scheduler}) and sends with the {@link org.clatter.core.pipeline.OutboundPublisher}.
 * Every slot and buffer is made at start-up; steady-state flow allocates nothing.
 */
package org.clatter.core.pipeline;
