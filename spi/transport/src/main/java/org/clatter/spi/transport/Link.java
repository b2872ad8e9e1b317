package org.clatter.spi.transport;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * One interface on one medium. Sending is non-blocking and reports with a {@link SendResult} code; receiving
 * is push: after {@link #start(FrameSink)} the link writes each frame it receives into a slot claimed from
 * the sink and publishes it. Radio and Bluetooth links come and go: that is a {@link LinkState}, reported to
 * {@link LinkStateListener}s, never an exception.
 *
 * <p>Thread safety: {@code send} and {@code broadcast} may be called from one thread at a time (the
 * pipeline's outbound drainer); {@code state}, {@code info} and {@code close} from any thread.
 */
public interface Link extends AutoCloseable {

    /** What this link is: MTU, bit rate, broadcast, point-to-point, latency, polling. */
    LinkInfo info();

    /** The current lifecycle state. */
    LinkState state();

    /** This end's address on the medium. */
    LinkAddress localAddress();

    /** The address a broadcast goes to, if the link can broadcast. */
    Optional<LinkAddress> broadcastAddress();

    /**
     * Parses an address in this link's textual form (the form {@link LinkAddress#toString()} prints).
     *
     * @throws TransportException if the text is not an address of this transport
     */
    LinkAddress parseAddress(String text);

    /**
     * Sends one frame of {@code length} bytes at {@code offset} in {@code frame} to {@code destination}.
     * Never blocks; the bytes may be reused as soon as this returns.
     *
     * @return {@link SendResult#SENT} or a negative {@link SendResult} code
     */
    int send(LinkAddress destination, MemorySegment frame, long offset, int length);

    /**
     * Sends one frame to every node on the medium that can hear this link.
     *
     * @return {@link SendResult#SENT}, or {@link SendResult#NO_BROADCAST} if {@link LinkInfo#broadcast()} is
     *         false, or another negative code
     */
    int broadcast(MemorySegment frame, long offset, int length);

    /**
     * Opens a batch of sends: until {@link #endBatch()}, the link MAY hold the frames given to {@link #send}
     * and {@link #broadcast} and hand them to the medium together (a UDP link sends a run of equal-sized
     * frames to one peer in one system call). A held frame is reported as {@link SendResult#SENT} (its bytes
     * are copied, so the caller may reuse them at once); a failure when the batch goes out later is counted
     * by the link, not reported to the caller. Frames are never reordered per destination. Outside a batch
     * every send is immediate. Only the sending thread calls this; batches do not nest. The default does
     * nothing: a link that does not batch sends every frame at once.
     */
    default void beginBatch() {
    }

    /**
     * Closes the batch {@link #beginBatch()} opened: every frame held since then is handed to the medium
     * before this returns. Calling it without an open batch does nothing. The default does nothing.
     */
    default void endBatch() {
    }

    /**
     * Begins receiving: every frame is written into a slot from {@link FrameSink#claim()} and handed back
     * with {@link FrameSink#publish(FrameSlot)}, on a thread of the transport's choosing (one per link for
     * UDP, the simulation's own thread for the simulated network). Calling it twice is an error.
     */
    void start(FrameSink sink);

    /** Adds a listener told of every state change, on the transport's thread. */
    void addStateListener(LinkStateListener listener);

    /** Stops receiving and releases the medium; idempotent, never throws. State becomes {@link LinkState#DISABLED}. */
    @Override
    void close();
}
