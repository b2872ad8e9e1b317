package org.clatter.mdp.tools;

import java.util.Optional;
import org.clatter.mdp.Sid;

/**
 * One decoded frame, as {@link OverlayInspector} reports it.
 *
 * @param packetNumber pcap record number (or the caller's packet counter)
 * @param frameIndex   0-based index within the packet
 * @param kind         what it is
 * @param result       {@link org.clatter.mdp.codec.DecodeResult} code of the frame's decoding
 * @param source       the resolved source SID
 * @param destination  the resolved destination ({@link Sid#BROADCAST} for broadcast frames)
 * @param srcPort      MDP source port, -1 when unknown (legacy types, unopened frames)
 * @param dstPort      MDP destination port, -1 when unknown
 * @param flags        the frame's flag byte
 * @param ttl          TTL (1 for ONE_HOP)
 * @param mdpSeq       per-frame seq, -1 in v0 packets
 * @param security     how the payload is protected
 * @param opened       for crypted frames: decrypted with a dumped key
 * @param verified     for signed frames: the signature verified
 * @param plaintext    the MDP payload after removing crypto and signature (port header included); for legacy types,
 *                     the raw payload
 */
public record FrameReport(int packetNumber, int frameIndex, FrameKind kind, int result, Optional<Sid> source,
                          Optional<Sid> destination, long srcPort, long dstPort, int flags, int ttl, int mdpSeq,
                          Security security, Check opened, Check verified, byte[] plaintext) {

    /** Payload protection (spec §5). */
    public enum Security { PLAIN, SIGNED, CRYPTED }

    /** A check's outcome. */
    public enum Check {
        /** Not applicable to this frame. */
        NA,
        PASS,
        FAIL,
        /** No key was available to check. */
        NO_KEY
    }
}
