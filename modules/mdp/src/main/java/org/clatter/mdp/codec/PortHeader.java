package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The MDP port header (spec §5): {@code varint((dst << 1) | same)}, then {@code varint(src)} unless {@code same}.
 * Ports are unsigned 32-bit values. Reusable; {@link #read} fills the fields.
 */
public final class PortHeader {
    /** At most 5 varint bytes for (dst << 1 | same) of a 32-bit port... plus one for the shift. */
    public static final int MAX_LENGTH = 10;
    private long dst;
    private long src;
    private int length;

    /** Reads the header at {@code off}; {@link DecodeResult#OK}, {@link DecodeResult#TRUNCATED} or {@link DecodeResult#BAD_VARINT}. */
    public int read(MemorySegment seg, long off, long end) {
        long v = 0;
        int shift = 0;
        long p = off;
        while (true) {
            if (p >= end) {
                return DecodeResult.TRUNCATED;
            }
            int b = seg.get(ValueLayout.JAVA_BYTE, p++) & 0xff;
            v |= (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
            if (shift > 28) {
                return DecodeResult.BAD_VARINT;
            }
        }
        if (v >>> 33 != 0) {
            return DecodeResult.BAD_VARINT;
        }
        dst = v >>> 1;
        if ((v & 1) != 0) {
            src = dst;
        } else {
            v = 0;
            shift = 0;
            while (true) {
                if (p >= end) {
                    return DecodeResult.TRUNCATED;
                }
                int b = seg.get(ValueLayout.JAVA_BYTE, p++) & 0xff;
                v |= (long) (b & 0x7f) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
                if (shift > 28) {
                    return DecodeResult.BAD_VARINT;
                }
            }
            if (v >>> 32 != 0) {
                return DecodeResult.BAD_VARINT;
            }
            src = v;
        }
        length = (int) (p - off);
        return DecodeResult.OK;
    }

    public long dst() {
        return dst;
    }

    public long src() {
        return src;
    }

    /** Bytes the header took. */
    public int length() {
        return length;
    }

    /** Writes a port header; returns its length. */
    public static int write(long dstPort, long srcPort, byte[] out, int off) {
        int p = off;
        if (dstPort == srcPort) {
            p = varint((dstPort << 1) | 1, out, p);
        } else {
            p = varint(dstPort << 1, out, p);
            p = varint(srcPort, out, p);
        }
        return p - off;
    }

    private static int varint(long v, byte[] out, int p) {
        while ((v & ~0x7fL) != 0) {
            out[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }
}
