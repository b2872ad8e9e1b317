package org.clatter.spi.transport;

/**
 * Where a link puts what it receives: the pipeline's inbound ring (or, in tests, anything else).
 *
 * <p>Protocol: {@code FrameSlot s = sink.claim(); ...write at most s.capacity() bytes into s.segment()...;
 * s.received(link, source, length, nanos); sink.publish(s);}. Every claimed slot must be published exactly
 * once, even when nothing was received into it (then with {@link FrameSlot#discard()}), because the ring
 * behind it is ordered. {@code claim} never blocks for long and never fails: when the ring is full it hands
 * out an overflow slot whose frame is counted as dropped on publish, so the link keeps draining its medium.
 * Claim only when a frame is ready to be read.
 */
public interface FrameSink {

    /** A slot to receive one frame into; see the class comment for the protocol. */
    FrameSlot claim();

    /** Hands a filled (or discarded) slot to the consumers. */
    void publish(FrameSlot slot);
}
