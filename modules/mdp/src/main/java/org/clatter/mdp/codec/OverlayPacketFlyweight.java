package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The overlay packet header (spec §4.1), read in place. Bind with {@link #wrap}; the view is valid as long as the
 * segment's bytes are. Reusable: one instance per decoder thread.
 *
 * <pre>
 *   version u8 | encapsulation u8 | sender ADDR | flags u8 | [interface u8] | [seq u8] | frames...
 * </pre>
 */
public final class OverlayPacketFlyweight {
    public static final int ENCAP_OVERLAY = 1;
    public static final int ENCAP_SINGLE = 2;
    public static final int FLAG_UNICAST = 0x01;
    public static final int FLAG_INTERFACE = 0x02;
    public static final int FLAG_SEQ = 0x04;
    /** servald's {@code MDP_OVERLAY_MTU}. */
    public static final int DEFAULT_MTU = 1200;

    private MemorySegment seg = MemorySegment.NULL;
    private long start;
    private long end;
    private int version;
    private int encapsulation;
    private long senderOffset;
    private int senderLength;
    private int flags;
    private int interfaceId;
    private int seq;
    private long framesOffset;

    /**
     * Binds to {@code length} bytes at {@code offset} and checks the header.
     *
     * @return {@link DecodeResult#OK} or why the header is invalid
     */
    public int wrap(MemorySegment segment, long offset, int length) {
        this.seg = segment;
        this.start = offset;
        this.end = offset + length;
        if (length < 2) {
            return DecodeResult.TRUNCATED;
        }
        version = u8(offset);
        encapsulation = u8(offset + 1);
        if (version > 1) {
            return DecodeResult.BAD_VERSION;
        }
        if (encapsulation != ENCAP_OVERLAY && encapsulation != ENCAP_SINGLE) {
            return DecodeResult.BAD_ENCAPSULATION;
        }
        senderOffset = offset + 2;
        senderLength = AddressCodes.measure(seg, senderOffset, end);
        if (senderLength < 0) {
            return senderOffset >= end ? DecodeResult.TRUNCATED : DecodeResult.BAD_ADDRESS;
        }
        int senderCode = u8(senderOffset);
        if (senderCode == AddressCodes.SELF || senderCode == AddressCodes.PREVIOUS) {
            return DecodeResult.BAD_ADDRESS;
        }
        long p = senderOffset + senderLength;
        if (p >= end) {
            return DecodeResult.TRUNCATED;
        }
        flags = u8(p++);
        interfaceId = 0;
        seq = -1;
        if ((flags & FLAG_INTERFACE) != 0) {
            if (p >= end) {
                return DecodeResult.TRUNCATED;
            }
            interfaceId = u8(p++);
        }
        if ((flags & FLAG_SEQ) != 0) {
            if (p >= end) {
                return DecodeResult.TRUNCATED;
            }
            seq = u8(p++);
        }
        framesOffset = p;
        return DecodeResult.OK;
    }

    private int u8(long at) {
        return seg.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    public MemorySegment segment() {
        return seg;
    }

    public long offset() {
        return start;
    }

    public int length() {
        return (int) (end - start);
    }

    public long endOffset() {
        return end;
    }

    public int version() {
        return version;
    }

    public int encapsulation() {
        return encapsulation;
    }

    /** Offset of the sender address's code byte. */
    public long senderOffset() {
        return senderOffset;
    }

    /** Length of the sender address including its code byte. */
    public int senderLength() {
        return senderLength;
    }

    public int senderCode() {
        return u8(senderOffset);
    }

    public int flags() {
        return flags;
    }

    public boolean unicast() {
        return (flags & FLAG_UNICAST) != 0;
    }

    public int interfaceId() {
        return interfaceId;
    }

    /** The packet sequence number, or -1 when absent. */
    public int seq() {
        return seq;
    }

    public long framesOffset() {
        return framesOffset;
    }

    public boolean hasFrames() {
        return framesOffset < end;
    }
}
