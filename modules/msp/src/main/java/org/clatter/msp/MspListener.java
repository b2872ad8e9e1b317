package org.clatter.msp;

/** Accepts incoming connections on a listening port; one listener serves many connections. */
@FunctionalInterface
public interface MspListener {
    /**
     * A peer opened a connection (its first packet, possibly carrying data, has arrived). Returns the handler for
     * it; data that came with the first packet is delivered to that handler right after this call.
     */
    MspHandler onAccept(MspConnection connection);
}
