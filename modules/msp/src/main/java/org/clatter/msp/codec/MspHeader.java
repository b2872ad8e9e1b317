package org.clatter.msp.codec;

/**
 * Decoder (a reusable, mutable view) and static writers for one MSP packet, the payload of one MDP datagram
 * after its port header. Spec: {@code shared/specs/serval-wire.md} §8.
 *
 * <pre>
 *   offset 0  u8     flags   0x01 SHUTDOWN, 0x02 ACK, 0x04 FIRST, 0x08 STOP
 *                            Clatter only: 0x40 CLATTER (sender speaks the extension), 0x20 SACK
 *   offset 1  u16le  ack     next expected receive seq - 1 (0xFFFF before any data arrived); a STOP is one
 *                            byte, or STOP|ACK ‖ ack from a Clatter side that finished the stream normally
 *   offset 3  u16le  seq     only in data packets (length &gt;= 5)
 *   offset 5  ...    message bytes
 * </pre>
 *
 * <p>Lengths are classified exactly as servald does: STOP wins whatever the length; 1 or 2 bytes without STOP
 * carry nothing ({@link #KIND_EMPTY}); 3 or 4 bytes are a bare ack (servald ignores a 4th byte); 5 or more are
 * data. servald ignores flag bits it does not know, so the {@link #CLATTER} bit is how two Clatter peers find each
 * other. A packet with both {@link #CLATTER} and {@link #SACK} is a selective ack:
 * {@code flags ‖ ack u16le ‖ n u8 ‖ n × (first u16le, last u16le)}, ranges of sequence numbers received beyond
 * {@code ack}. It is only ever sent to a peer whose packets carried {@link #CLATTER}, never to servald.
 *
 * <p>{@link #decode} never throws: malformed input yields a negative result code.
 */
public final class MspHeader {
    public static final int SHUTDOWN = 0x01;
    public static final int ACK = 0x02;
    public static final int FIRST = 0x04;
    public static final int STOP = 0x08;
    /** Clatter extension: a selective acknowledgement packet (only with {@link #CLATTER}). */
    public static final int SACK = 0x20;
    /** Clatter extension: the sender understands the large window and SACK; servald ignores the bit. */
    public static final int CLATTER = 0x40;

    /** Bytes before the message in a data packet. */
    public static final int PREAMBLE = 5;
    /** Length of a bare ack packet. */
    public static final int ACK_LENGTH = 3;
    /** Most ranges one SACK packet carries. */
    public static final int MAX_SACK_RANGES = 16;

    /** {@code 08}: abort the stream. */
    public static final int KIND_STOP = 1;
    /** 3 or 4 bytes: an ack (valid if {@link #ACK} is set) or a keep-alive / connection request. */
    public static final int KIND_ACK = 2;
    /** 5 or more bytes: a data packet (possibly empty, possibly with SHUTDOWN). */
    public static final int KIND_DATA = 3;
    /** Clatter selective acknowledgement. */
    public static final int KIND_SACK = 4;
    /** 1 or 2 bytes without STOP: servald only notes the activity; so do we. */
    public static final int KIND_EMPTY = 5;

    /** Zero bytes: not an MSP packet. */
    public static final int ERR_EMPTY = -1;
    /** A SACK packet whose length does not match its range count, or with too many ranges. */
    public static final int ERR_SACK_LENGTH = -2;
    /** A negative offset or length, or a range outside the array. */
    public static final int ERR_BOUNDS = -3;

    private int kind;
    private int flags;
    private int ack;
    private int seq;
    private int payloadOffset;
    private int payloadLength;
    private int sackCount;
    private final int[] sackFirst = new int[MAX_SACK_RANGES];
    private final int[] sackLast = new int[MAX_SACK_RANGES];

    /**
     * Decodes {@code len} bytes at {@code off}. On success the accessors describe the packet (the payload is
     * addressed in {@code buf}, not copied).
     *
     * @return a {@code KIND_*} code (positive) or an {@code ERR_*} code (negative)
     */
    public int decode(byte[] buf, int off, int len) {
        kind = 0;
        flags = 0;
        ack = 0xFFFF;
        seq = -1;
        payloadOffset = 0;
        payloadLength = 0;
        sackCount = 0;
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return kind = ERR_BOUNDS;
        }
        if (len == 0) {
            return kind = ERR_EMPTY;
        }
        flags = buf[off] & 0xFF;
        if ((flags & STOP) != 0) {
            if (len >= ACK_LENGTH) {
                ack = u16le(buf, off + 1);
            }
            return kind = KIND_STOP;
        }
        if (len < ACK_LENGTH) {
            return kind = KIND_EMPTY;
        }
        ack = u16le(buf, off + 1);
        if ((flags & (CLATTER | SACK)) == (CLATTER | SACK)) {
            if (len < 4) {
                return kind = ERR_SACK_LENGTH;
            }
            int n = buf[off + 3] & 0xFF;
            if (n > MAX_SACK_RANGES || len != 4 + 4 * n) {
                return kind = ERR_SACK_LENGTH;
            }
            for (int i = 0; i < n; i++) {
                sackFirst[i] = u16le(buf, off + 4 + 4 * i);
                sackLast[i] = u16le(buf, off + 6 + 4 * i);
            }
            sackCount = n;
            return kind = KIND_SACK;
        }
        if (len < PREAMBLE) {
            return kind = KIND_ACK;
        }
        seq = u16le(buf, off + 3);
        payloadOffset = off + PREAMBLE;
        payloadLength = len - PREAMBLE;
        return kind = KIND_DATA;
    }

    /**
     * Whether {@code buf[off, off + len)} is a data packet (what {@link #decode} would call {@link #KIND_DATA}), from
     * its flags and length alone: a stop, a bare ack, a SACK or an empty packet is not.
     */
    public static boolean isData(byte[] buf, int off, int len) {
        if (len < PREAMBLE) {
            return false;
        }
        int f = buf[off] & 0xFF;
        return (f & STOP) == 0 && (f & (CLATTER | SACK)) != (CLATTER | SACK);
    }

    /** The last {@link #decode} result. */
    public int kind() {
        return kind;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The ack field (u16); meaningful when {@link #ACK} is set. */
    public int ack() {
        return ack;
    }

    /** The data packet's seq (u16), or -1 for other kinds. */
    public int seq() {
        return seq;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public int sackCount() {
        return sackCount;
    }

    /** First seq of SACK range {@code i} (u16, inclusive). */
    public int sackFirst(int i) {
        return sackFirst[i];
    }

    /** Last seq of SACK range {@code i} (u16, inclusive). */
    public int sackLast(int i) {
        return sackLast[i];
    }

    /** Writes the 1-byte STOP packet; returns its length. */
    public static int writeStop(byte[] buf, int off) {
        buf[off] = (byte) STOP;
        return 1;
    }

    /**
     * Writes {@code STOP|ACK ‖ ack}: the answer of a side that finished the stream normally and forgot it, telling
     * the peer its last packets did arrive. servald reads only the STOP bit of it.
     */
    public static int writeStopAck(byte[] buf, int off, int ack) {
        return writeAck(buf, off, STOP | ACK, ack);
    }

    /** Writes a 3-byte bare ack; returns its length. */
    public static int writeAck(byte[] buf, int off, int flags, int ack) {
        buf[off] = (byte) flags;
        putU16le(buf, off + 1, ack);
        return ACK_LENGTH;
    }

    /** Writes the 5-byte data preamble (the message follows it); returns {@link #PREAMBLE}. */
    public static int writeDataHeader(byte[] buf, int off, int flags, int ack, int seq) {
        buf[off] = (byte) flags;
        putU16le(buf, off + 1, ack);
        putU16le(buf, off + 3, seq);
        return PREAMBLE;
    }

    /**
     * Writes a Clatter SACK packet ({@link #CLATTER} and {@link #SACK} are added to {@code flags}); returns its
     * length. {@code n} must not exceed {@link #MAX_SACK_RANGES}.
     */
    public static int writeSack(byte[] buf, int off, int flags, int ack, int n, int[] first, int[] last) {
        if (n < 0 || n > MAX_SACK_RANGES) {
            throw new IllegalArgumentException("SACK range count " + n + " not in 0.." + MAX_SACK_RANGES);
        }
        buf[off] = (byte) (flags | CLATTER | SACK);
        putU16le(buf, off + 1, ack);
        buf[off + 3] = (byte) n;
        for (int i = 0; i < n; i++) {
            putU16le(buf, off + 4 + 4 * i, first[i]);
            putU16le(buf, off + 6 + 4 * i, last[i]);
        }
        return 4 + 4 * n;
    }

    /** Compares two 16-bit sequence numbers with wrap-around: negative if a is before b. */
    public static int compareSeq(int a, int b) {
        return (short) (a - b);
    }

    static int u16le(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static void putU16le(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case KIND_STOP -> "STOP flags=" + hex(flags) + " ack=" + ack;
            case KIND_EMPTY -> "EMPTY flags=" + hex(flags);
            case KIND_ACK -> "ACK flags=" + hex(flags) + " ack=" + ack;
            case KIND_SACK -> "SACK flags=" + hex(flags) + " ack=" + ack + " ranges=" + sackCount;
            case KIND_DATA -> "DATA flags=" + hex(flags) + " ack=" + ack + " seq=" + seq + " len=" + payloadLength;
            default -> "MALFORMED(" + kind + ")";
        };
    }

    private static String hex(int v) {
        return String.format("%02x", v);
    }
}
