package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A frame header to write (spec §4.2): mutable and reusable, so the send path allocates nothing. Addresses are a
 * code ({@link AddressCodes}, or 1..32 for an abbreviation of that many bytes) and up to 32 bytes of SID (or of the
 * Signing ID for {@link AddressCodes#SIGNKEY}).
 */
public final class FrameHeader {
    int flags;
    int sourceCode = AddressCodes.SELF;
    final byte[] source = new byte[32];
    long bpi;
    int destinationCode = AddressCodes.FULL;
    final byte[] destination = new byte[32];
    int nextHopCode = AddressCodes.FULL;
    final byte[] nextHop = new byte[32];
    int ttl = FrameFlyweight.TTL_MAX;
    int qos = 3;
    int type = FrameFlyweight.TYPE_DATA;
    int mdpSeq;

    /** Resets to a DATA frame from the packet sender, TTL 31, qos 3, no flags. */
    public FrameHeader clear() {
        flags = FrameFlyweight.F_SENDER_SAME;
        sourceCode = AddressCodes.SELF;
        bpi = 0;
        destinationCode = AddressCodes.FULL;
        nextHopCode = AddressCodes.FULL;
        ttl = FrameFlyweight.TTL_MAX;
        qos = 3;
        type = FrameFlyweight.TYPE_DATA;
        mdpSeq = 0;
        return this;
    }

    /** Flag bits other than the ones the setters below derive. */
    public FrameHeader flags(int f) {
        this.flags = f;
        return this;
    }

    public int flags() {
        return flags;
    }

    /** The source is the packet's sender: sets {@code SENDER_SAME}, no address on the wire. */
    public FrameHeader sourceIsSender() {
        flags |= FrameFlyweight.F_SENDER_SAME;
        return this;
    }

    /** An explicit source address; clears {@code SENDER_SAME}. */
    public FrameHeader source(int code, byte[] bytes, int off) {
        flags &= ~FrameFlyweight.F_SENDER_SAME;
        sourceCode = code;
        copy(bytes, off, source, code);
        return this;
    }

    /** A broadcast frame; {@code bpi} is used unless {@code ONE_HOP} is set. */
    public FrameHeader broadcast(long broadcastId) {
        flags |= FrameFlyweight.F_TO_BROADCAST;
        bpi = broadcastId;
        return this;
    }

    public FrameHeader destination(int code, byte[] bytes, int off) {
        flags &= ~FrameFlyweight.F_TO_BROADCAST;
        destinationCode = code;
        copy(bytes, off, destination, code);
        return this;
    }

    /** The next hop (written only when not {@code ONE_HOP} and not broadcast). */
    public FrameHeader nextHop(int code, byte[] bytes, int off) {
        nextHopCode = code;
        copy(bytes, off, nextHop, code);
        return this;
    }

    /** TTL 1..31 and queue 0..3; TTL 1 alone does not set {@code ONE_HOP} (the caller decides). */
    public FrameHeader ttlQos(int ttlValue, int qosValue) {
        this.ttl = ttlValue & 0x1f;
        this.qos = qosValue & 3;
        return this;
    }

    /** A legacy frame type; {@link FrameFlyweight#TYPE_DATA} clears {@code LEGACY_TYPE}. */
    public FrameHeader type(int t) {
        this.type = t;
        if (t == FrameFlyweight.TYPE_DATA) {
            flags &= ~FrameFlyweight.F_LEGACY_TYPE;
        } else {
            flags |= FrameFlyweight.F_LEGACY_TYPE;
        }
        return this;
    }

    /** The per-frame sequence number (v1 packets). */
    public int mdpSeq() {
        return mdpSeq;
    }

    public FrameHeader mdpSeq(int seq) {
        this.mdpSeq = seq & 0xff;
        return this;
    }

    /** Copies a decoded frame's header exactly as it was on the wire (for forwarding and re-encoding). */
    public FrameHeader copyOf(FrameFlyweight f) {
        MemorySegment s = f.segment();
        flags = f.flags();
        if (f.sourceOffset() >= 0) {
            sourceCode = readAddress(s, f.sourceOffset(), source);
        }
        bpi = f.bpi();
        if (f.destinationOffset() >= 0) {
            destinationCode = readAddress(s, f.destinationOffset(), destination);
        }
        if (f.nextHopOffset() >= 0) {
            nextHopCode = readAddress(s, f.nextHopOffset(), nextHop);
        }
        ttl = f.ttl();
        qos = f.qos();
        type = f.type();
        mdpSeq = Math.max(0, f.mdpSeq());
        return this;
    }

    private static int readAddress(MemorySegment s, long off, byte[] into) {
        int code = s.get(ValueLayout.JAVA_BYTE, off) & 0xff;
        int n = AddressCodes.bodyLength(code);
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, off + 1, into, 0, Math.max(0, n));
        return code;
    }

    private static void copy(byte[] from, int off, byte[] to, int code) {
        int n = AddressCodes.bodyLength(code);
        if (n < 0) {
            throw new IllegalArgumentException("address code " + code + " is not defined (spec §3)");
        }
        System.arraycopy(from, off, to, 0, n);
    }

    /** Bytes this header takes on the wire in a packet of the given version and encapsulation. */
    int encodedLength(int version, int encapsulation) {
        int n = 1;
        if ((flags & FrameFlyweight.F_SENDER_SAME) == 0) {
            n += 1 + AddressCodes.bodyLength(sourceCode);
        }
        boolean oneHop = (flags & FrameFlyweight.F_ONE_HOP) != 0;
        if ((flags & FrameFlyweight.F_TO_BROADCAST) != 0) {
            n += oneHop ? 0 : FrameFlyweight.BPI_BYTES;
        } else {
            n += 1 + AddressCodes.bodyLength(destinationCode);
            n += oneHop ? 0 : 1 + AddressCodes.bodyLength(nextHopCode);
        }
        n += oneHop ? 0 : 1;
        n += (flags & FrameFlyweight.F_LEGACY_TYPE) != 0 ? 1 : 0;
        n += version >= 1 ? 1 : 0;
        n += encapsulation == OverlayPacketFlyweight.ENCAP_OVERLAY ? 2 : 0;
        return n;
    }
}
