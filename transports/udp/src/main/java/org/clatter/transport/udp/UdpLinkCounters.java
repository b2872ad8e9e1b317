package org.clatter.transport.udp;

/**
 * What a UDP link has seen so far.
 *
 * @param received          frames written into the sink
 * @param sent              datagrams handed to the kernel (unicast and broadcast)
 * @param ownBroadcasts     own broadcasts heard back and dropped
 * @param backPressured     sends refused because the socket buffer was full
 * @param receiveErrors     I/O errors while receiving (and spurious wake-ups with nothing to read)
 * @param sendErrors        I/O errors while sending
 * @param copiedSends       sends that had to copy the frame (heap segments) rather than send it in place
 */
public record UdpLinkCounters(long received, long sent, long ownBroadcasts, long backPressured, long receiveErrors,
                              long sendErrors, long copiedSends) {
}
