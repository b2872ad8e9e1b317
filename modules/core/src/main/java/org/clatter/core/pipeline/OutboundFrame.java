package org.clatter.core.pipeline;

import java.lang.foreign.MemorySegment;
import org.clatter.core.buffer.PacketBuffer;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/**
 * An outbound ring slot claimed with {@link OutboundPublisher#claim()} for zero-copy sending: write the frame
 * at offset 0 of {@link #buffer()}, address it with {@link #sendTo} or {@link #broadcastOn} (or
 * {@link #discard()}), then hand it back with {@link OutboundPublisher#publish}. Valid only between the claim
 * and the publish.
 */
public interface OutboundFrame {

    /** The slot's buffer, {@link #capacity()} bytes. */
    PacketBuffer buffer();

    default MemorySegment segment() {
        return buffer().segment();
    }

    default int capacity() {
        return buffer().capacity();
    }

    /** Addresses the frame of {@code length} bytes to {@code destination} on {@code link}. */
    void sendTo(Link link, LinkAddress destination, int length);

    /** Addresses the frame of {@code length} bytes to everyone {@code link} reaches. */
    void broadcastOn(Link link, int length);

    /** Marks the slot as holding nothing to send; the drainer skips it. */
    void discard();
}
