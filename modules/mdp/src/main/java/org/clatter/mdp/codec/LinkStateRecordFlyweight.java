package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Link-state records on MDP port 2 (spec §6), read in place; {@link #first}/{@link #next} walk a payload.
 *
 * <pre>
 *   length u8 | flags u8 | receiver ADDR | version u8 | [transmitter ADDR] | [interface u8]
 *   | [ack seq u8 | ack mask u32be] | [drop rate u8] | unknown trailing fields up to length
 * </pre>
 */
public final class LinkStateRecordFlyweight {
    public static final int HAS_INTERFACE = 0x01;
    public static final int NO_PATH = 0x02;
    public static final int BROADCAST = 0x04;
    public static final int UNICAST = 0x08;
    public static final int HAS_ACK = 0x10;
    public static final int HAS_DROP_RATE = 0x20;

    private MemorySegment seg = MemorySegment.NULL;
    private long end;
    private long next;
    private long start;
    private int length;
    private int flags;
    private long receiverOffset;
    private int version;
    private long transmitterOffset;
    private int interfaceId;
    private int ackSeq;
    private long ackMask;
    private int dropRate;
    private long parsedEnd;

    public int first(MemorySegment segment, long offset, long endOffset) {
        this.seg = segment;
        this.end = endOffset;
        this.next = offset;
        return next();
    }

    /** {@link DecodeResult#OK}, {@link DecodeResult#END} (end of payload or a zero length byte) or an error. */
    public int next() {
        if (next >= end) {
            return DecodeResult.END;
        }
        start = next;
        next = end;
        length = u8(start);
        if (length == 0) {
            return DecodeResult.END;
        }
        long recEnd = start + length;
        if (recEnd > end || length < 4) {
            return DecodeResult.BAD_RECORD;
        }
        long p = start + 1;
        flags = u8(p++);
        int n = AddressCodes.measure(seg, p, recEnd);
        if (n < 0) {
            return DecodeResult.BAD_RECORD;
        }
        receiverOffset = p;
        p += n;
        if (p >= recEnd) {
            return DecodeResult.BAD_RECORD;
        }
        version = u8(p++);
        transmitterOffset = -1;
        if ((flags & NO_PATH) == 0) {
            n = AddressCodes.measure(seg, p, recEnd);
            if (n < 0) {
                return DecodeResult.BAD_RECORD;
            }
            transmitterOffset = p;
            p += n;
        }
        interfaceId = -1;
        if ((flags & HAS_INTERFACE) != 0) {
            if (p >= recEnd) {
                return DecodeResult.BAD_RECORD;
            }
            interfaceId = u8(p++);
        }
        ackSeq = -1;
        ackMask = 0;
        if ((flags & HAS_ACK) != 0) {
            if (p + 5 > recEnd) {
                return DecodeResult.BAD_RECORD;
            }
            ackSeq = u8(p++);
            ackMask = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), p) & 0xffffffffL;
            p += 4;
        }
        dropRate = -1;
        if ((flags & HAS_DROP_RATE) != 0) {
            if (p >= recEnd) {
                return DecodeResult.BAD_RECORD;
            }
            dropRate = u8(p++);
        }
        parsedEnd = p;
        next = recEnd;
        return DecodeResult.OK;
    }

    private int u8(long at) {
        return seg.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    public long recordOffset() {
        return start;
    }

    public int length() {
        return length;
    }

    /** Whether the known fields end exactly at the length byte's end (no unknown trailing fields). */
    public boolean exact() {
        return parsedEnd == start + length;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public long receiverOffset() {
        return receiverOffset;
    }

    /** Link version; 255 means none. */
    public int version() {
        return version;
    }

    /** Offset of the transmitter address, or -1 with {@code NO_PATH}. */
    public long transmitterOffset() {
        return transmitterOffset;
    }

    /** The transmitter's interface index, or -1 when absent. */
    public int interfaceId() {
        return interfaceId;
    }

    /** Last packet seq heard, or -1 when absent. */
    public int ackSeq() {
        return ackSeq;
    }

    public long ackMask() {
        return ackMask;
    }

    /** Drop rate byte, or -1 when absent (32 means unknown). */
    public int dropRate() {
        return dropRate;
    }
}
