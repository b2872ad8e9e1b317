package org.clatter.transport.udp;

/**
 * What a UDP link has seen so far.
 *
 * @param received          frames written into the sink (datagrams: a GRO receive of n segments counts n)
 * @param sent              datagrams handed to the kernel (unicast and broadcast; a GSO send of n segments counts n)
 * @param ownBroadcasts     own broadcasts heard back and dropped
 * @param backPressured     sends refused because the socket buffer was full (for a batch, the frames it held)
 * @param receiveErrors     I/O errors while receiving (and spurious wake-ups with nothing to read)
 * @param sendErrors        I/O errors while sending
 * @param copiedSends       sends that had to copy the frame (heap segments) rather than send it in place
 * @param gsoSends          system calls that carried more than one datagram ({@code UDP_SEGMENT})
 * @param gsoSegments       datagrams those calls carried
 * @param gsoFallbacks      times the kernel refused segmentation offload, after which the link sends one by one
 * @param groReceives       receives that returned more than one coalesced datagram ({@code UDP_GRO})
 * @param groSegments       datagrams those receives held
 * @param groMalformed      receives whose GRO segment size could not describe the bytes (delivered as one frame)
 * @param nativeSocket      whether the link uses the native Linux socket path (else {@code DatagramChannel})
 */
public record UdpLinkCounters(long received, long sent, long ownBroadcasts, long backPressured, long receiveErrors,
                              long sendErrors, long copiedSends, long gsoSends, long gsoSegments, long gsoFallbacks,
                              long groReceives, long groSegments, long groMalformed, boolean nativeSocket) {
}
