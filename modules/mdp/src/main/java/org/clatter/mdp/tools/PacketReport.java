package org.clatter.mdp.tools;

import java.util.List;
import java.util.Optional;
import org.clatter.mdp.Sid;

/**
 * One decoded overlay packet.
 *
 * @param packetNumber pcap record number (or the caller's counter)
 * @param result       {@link org.clatter.mdp.codec.DecodeResult} code of the header
 * @param version      0 or 1 (-1 when the header did not decode)
 * @param unicast      the header's UNICAST flag
 * @param sender       the resolved sender
 * @param seq          packet seq, -1 when absent
 * @param frames       the frames, in order
 */
public record PacketReport(int packetNumber, int result, int version, boolean unicast, Optional<Sid> sender, int seq,
                           List<FrameReport> frames) {
}
