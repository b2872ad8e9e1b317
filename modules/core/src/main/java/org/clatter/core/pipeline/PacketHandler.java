package org.clatter.core.pipeline;

/**
 * The engine-facing side of the pipeline: a protocol engine implements this, and the {@link EngineLoop}
 * calls it on the engine thread for every frame, in ring order. Together with the loop's
 * {@link org.clatter.core.time.Scheduler} ("wake me at T", tasks from other threads) and the
 * {@link OutboundPublisher} (frames out), that is the whole runtime interface an engine needs; the same
 * engine runs on a {@link org.clatter.core.time.VirtualScheduler} in the simulator.
 *
 * <p>Exceptions thrown from {@code onFrame} are caught by the loop, counted ({@code engine.exceptions}) and
 * reported to the {@link org.clatter.core.metrics.ErrorLog}; the next frame is handled as usual. Expected
 * conditions (malformed packet, unknown peer) should be counted and returned from, not thrown.
 */
@FunctionalInterface
public interface PacketHandler {

    /** One received frame; the view is valid only during this call. */
    void onFrame(InboundFrame frame);
}
