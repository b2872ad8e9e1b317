package org.clatter.mdp.codec;

/** Writes link-state records (spec §6) into a byte array; allocation-free. */
public final class LinkStateRecordWriter {
    private LinkStateRecordWriter() {
    }

    /**
     * Writes one record.
     *
     * @param receiverCode    address code of the receiver (e.g. {@link AddressCodes#SELF}, or an abbreviation length)
     * @param transmitterCode ignored with {@code NO_PATH}
     * @param interfaceId     written with {@code HAS_INTERFACE}
     * @param ackSeq          written with {@code HAS_ACK}, with {@code ackMask}
     * @param dropRate        written with {@code HAS_DROP_RATE}
     * @return bytes written
     */
    public static int write(byte[] out, int off, int flags, int receiverCode, byte[] receiver, int version,
                            int transmitterCode, byte[] transmitter, int interfaceId, int ackSeq, long ackMask,
                            int dropRate) {
        int p = off + 1;
        out[p++] = (byte) flags;
        p = address(out, p, receiverCode, receiver);
        out[p++] = (byte) version;
        if ((flags & LinkStateRecordFlyweight.NO_PATH) == 0) {
            p = address(out, p, transmitterCode, transmitter);
        }
        if ((flags & LinkStateRecordFlyweight.HAS_INTERFACE) != 0) {
            out[p++] = (byte) interfaceId;
        }
        if ((flags & LinkStateRecordFlyweight.HAS_ACK) != 0) {
            out[p++] = (byte) ackSeq;
            out[p++] = (byte) (ackMask >>> 24);
            out[p++] = (byte) (ackMask >>> 16);
            out[p++] = (byte) (ackMask >>> 8);
            out[p++] = (byte) ackMask;
        }
        if ((flags & LinkStateRecordFlyweight.HAS_DROP_RATE) != 0) {
            out[p++] = (byte) dropRate;
        }
        out[off] = (byte) (p - off);
        return p - off;
    }

    private static int address(byte[] out, int p, int code, byte[] bytes) {
        out[p++] = (byte) code;
        int n = AddressCodes.bodyLength(code);
        System.arraycopy(bytes, 0, out, p, n);
        return p + n;
    }
}
