package org.clatter.core.pipeline;

import java.lang.foreign.MemorySegment;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;

/**
 * How an engine sends: frames go into the outbound ring and the drainer thread hands them to
 * {@link Link#send} / {@link Link#broadcast}, counting each {@link SendResult}. Never blocks: when the ring is
 * full the frame is dropped, counted ({@code pipeline.outbound.dropped.ring_full}) and reported as
 * {@link SendResult#BACK_PRESSURED}.
 *
 * <p>Call from the engine thread (the ring is single-producer unless the pipeline was built with
 * {@code multiProducerOutbound()}).
 */
public interface OutboundPublisher {

    /**
     * Copies {@code length} bytes of {@code frame} at {@code offset} into the ring, to go to
     * {@code destination} on {@code link}.
     *
     * @return {@link SendResult#SENT} when queued, {@link SendResult#BACK_PRESSURED} when the ring was full,
     *         {@link SendResult#TOO_LARGE} when the frame does not fit a slot
     */
    int send(Link link, LinkAddress destination, MemorySegment frame, long offset, int length);

    /** As {@link #send}, to everyone {@code link} reaches. */
    int broadcast(Link link, MemorySegment frame, long offset, int length);

    /**
     * Claims a slot to build a frame in place. Never fails: when the ring is full it returns an overflow
     * slot whose frame is counted as dropped on {@link #publish}.
     */
    OutboundFrame claim();

    /**
     * Hands a claimed slot to the drainer.
     *
     * @return {@link SendResult#SENT} when queued, {@link SendResult#BACK_PRESSURED} when it was an overflow
     *         slot (dropped)
     */
    int publish(OutboundFrame frame);
}
