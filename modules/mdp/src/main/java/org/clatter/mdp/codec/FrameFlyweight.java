package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One frame of an overlay packet (spec §4.2), read in place; {@link #first} and {@link #next} walk the frames.
 *
 * <pre>
 *   flags u8 | [source ADDR] | [bpi 8] | [destination ADDR] | [next hop ADDR] | [ttl/qos u8] | [legacy type u8]
 *   | [mdp seq u8, v1] | [payload length u16be, OVERLAY encapsulation] | payload
 * </pre>
 *
 * Address fields are reported as offsets of their code bytes, or -1 when absent; resolving them to SIDs is
 * {@link AddressBook}'s job.
 */
public final class FrameFlyweight {
    public static final int F_SENDER_SAME = 0x01;
    public static final int F_TO_BROADCAST = 0x02;
    public static final int F_ONE_HOP = 0x04;
    public static final int F_CIPHERED = 0x10;
    public static final int F_SIGNED = 0x20;
    public static final int F_ACK_SOON = 0x40;
    public static final int F_LEGACY_TYPE = 0x80;
    public static final int TYPE_DATA = 0x30;
    public static final int TYPE_SELFANNOUNCE_ACK = 0x20;
    public static final int TYPE_RHIZOME_ADVERT = 0x50;
    public static final int TYPE_PLEASE_EXPLAIN = 0x60;
    public static final int BPI_BYTES = 8;
    public static final int TTL_MAX = 31;

    private MemorySegment seg = MemorySegment.NULL;
    private int version;
    private int encapsulation;
    private long end;
    private long frameOffset;
    private long nextOffset;
    private int flags;
    private long sourceOffset;
    private long bpiOffset;
    private long destinationOffset;
    private long nextHopOffset;
    private int ttl;
    private int qos;
    private int type;
    private int mdpSeq;
    private long payloadOffset;
    private int payloadLength;

    /** Positions on the packet's first frame: {@link DecodeResult#OK}, {@link DecodeResult#END} or an error. */
    public int first(OverlayPacketFlyweight packet) {
        this.seg = packet.segment();
        this.version = packet.version();
        this.encapsulation = packet.encapsulation();
        this.end = packet.endOffset();
        this.nextOffset = packet.framesOffset();
        return next();
    }

    /** Moves to the following frame. After an error the walk is over (frames have no resynchronisation marker). */
    public int next() {
        if (nextOffset >= end) {
            return DecodeResult.END;
        }
        long p = nextOffset;
        frameOffset = p;
        nextOffset = end;
        flags = u8(p++);
        sourceOffset = -1;
        bpiOffset = -1;
        destinationOffset = -1;
        nextHopOffset = -1;
        if ((flags & F_SENDER_SAME) == 0) {
            int n = AddressCodes.measure(seg, p, end);
            if (n < 0) {
                return p >= end ? DecodeResult.TRUNCATED : DecodeResult.BAD_ADDRESS;
            }
            sourceOffset = p;
            p += n;
        }
        boolean broadcast = (flags & F_TO_BROADCAST) != 0;
        boolean oneHop = (flags & F_ONE_HOP) != 0;
        if (broadcast) {
            if (!oneHop) {
                if (p + BPI_BYTES > end) {
                    return DecodeResult.TRUNCATED;
                }
                bpiOffset = p;
                p += BPI_BYTES;
            }
        } else {
            int n = AddressCodes.measure(seg, p, end);
            if (n < 0) {
                return p >= end ? DecodeResult.TRUNCATED : DecodeResult.BAD_ADDRESS;
            }
            destinationOffset = p;
            p += n;
            if (!oneHop) {
                n = AddressCodes.measure(seg, p, end);
                if (n < 0) {
                    return p >= end ? DecodeResult.TRUNCATED : DecodeResult.BAD_ADDRESS;
                }
                nextHopOffset = p;
                p += n;
            }
        }
        if (oneHop) {
            ttl = 1;
            qos = 0;
        } else {
            if (p >= end) {
                return DecodeResult.TRUNCATED;
            }
            int b = u8(p++);
            ttl = b & 0x1f;
            qos = (b >> 5) & 3;
        }
        type = TYPE_DATA;
        if ((flags & F_LEGACY_TYPE) != 0) {
            if (p >= end) {
                return DecodeResult.TRUNCATED;
            }
            type = u8(p++);
        }
        mdpSeq = -1;
        if (version >= 1) {
            if (p >= end) {
                return DecodeResult.TRUNCATED;
            }
            mdpSeq = u8(p++);
        }
        if (encapsulation == OverlayPacketFlyweight.ENCAP_OVERLAY) {
            if (p + 2 > end) {
                return DecodeResult.TRUNCATED;
            }
            payloadLength = (u8(p) << 8) | u8(p + 1);
            p += 2;
            if (p + payloadLength > end) {
                return DecodeResult.BAD_LENGTH;
            }
        } else {
            payloadLength = (int) (end - p);
        }
        payloadOffset = p;
        nextOffset = p + payloadLength;
        return DecodeResult.OK;
    }

    private int u8(long at) {
        return seg.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    public MemorySegment segment() {
        return seg;
    }

    public long frameOffset() {
        return frameOffset;
    }

    /** Bytes from the flags byte to the end of the payload. */
    public int frameLength() {
        return (int) (payloadOffset + payloadLength - frameOffset);
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean broadcast() {
        return (flags & F_TO_BROADCAST) != 0;
    }

    /** Offset of the source address, or -1 when the source is the packet sender ({@code SENDER_SAME}). */
    public long sourceOffset() {
        return sourceOffset;
    }

    /** Offset of the 8-byte broadcast id, or -1. */
    public long bpiOffset() {
        return bpiOffset;
    }

    /** The broadcast id as a big-endian long; 0 when absent. */
    public long bpi() {
        return bpiOffset < 0 ? 0 : seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN),
                bpiOffset);
    }

    public long destinationOffset() {
        return destinationOffset;
    }

    public long nextHopOffset() {
        return nextHopOffset;
    }

    /** TTL (1 for ONE_HOP frames, where it is not on the wire). */
    public int ttl() {
        return ttl;
    }

    public int qos() {
        return qos;
    }

    /** The legacy frame type, {@link #TYPE_DATA} when none is on the wire. */
    public int type() {
        return type;
    }

    /** The per-frame MDP sequence byte, or -1 in a version 0 packet. */
    public int mdpSeq() {
        return mdpSeq;
    }

    public long payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }
}
