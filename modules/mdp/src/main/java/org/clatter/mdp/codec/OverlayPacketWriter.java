package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes one overlay packet (spec §4): a header, then frames aggregated until the next one would pass the MTU.
 * Reusable and allocation-free; {@link #begin} starts a new packet in the bound buffer.
 */
public final class OverlayPacketWriter {
    private MemorySegment buf = MemorySegment.NULL;
    private long start;
    private long limit;
    private long pos;
    private int version;
    private int encapsulation;
    private int frames;

    /**
     * Binds to a buffer region; packets will be at most {@code mtu} bytes (and no larger than the region).
     */
    public OverlayPacketWriter wrap(MemorySegment buffer, long offset, int mtu) {
        this.buf = buffer;
        this.start = offset;
        this.limit = Math.min(buffer.byteSize(), offset + mtu);
        this.pos = offset;
        return this;
    }

    /**
     * Writes the packet header.
     *
     * @param senderCode  how the sender is written ({@link AddressCodes#FULL}, an abbreviation length, or
     *                    {@link AddressCodes#SIGNKEY})
     * @param interfaceId written only when not 0
     * @param seq         the packet sequence number, or -1 for none
     * @return false when the header does not fit
     */
    public boolean begin(int packetVersion, int encap, int senderCode, byte[] sender, int senderOff, boolean unicast,
                         int interfaceId, int seq) {
        pos = start;
        frames = 0;
        version = packetVersion;
        encapsulation = encap;
        int flags = (unicast ? OverlayPacketFlyweight.FLAG_UNICAST : 0)
                | (interfaceId != 0 ? OverlayPacketFlyweight.FLAG_INTERFACE : 0)
                | (seq >= 0 ? OverlayPacketFlyweight.FLAG_SEQ : 0);
        int n = 2 + 1 + AddressCodes.bodyLength(senderCode) + 1 + (interfaceId != 0 ? 1 : 0) + (seq >= 0 ? 1 : 0);
        if (pos + n > limit) {
            return false;
        }
        put(packetVersion);
        put(encap);
        address(senderCode, sender, senderOff);
        put(flags);
        if (interfaceId != 0) {
            put(interfaceId);
        }
        if (seq >= 0) {
            put(seq);
        }
        return true;
    }

    /** Appends a frame whose payload is in a byte array; false (nothing written) when it does not fit. */
    public boolean appendFrame(FrameHeader h, byte[] payload, int off, int len) {
        return appendFrame(h, MemorySegment.ofArray(payload), off, len);
    }

    /** Appends a frame whose payload is in a segment; false (nothing written) when it does not fit. */
    public boolean appendFrame(FrameHeader h, MemorySegment payload, long off, int len) {
        if (encapsulation == OverlayPacketFlyweight.ENCAP_SINGLE && frames > 0) {
            return false;
        }
        if (len > 0xffff || pos + h.encodedLength(version, encapsulation) + len > limit) {
            return false;
        }
        int flags = h.flags;
        put(flags);
        if ((flags & FrameFlyweight.F_SENDER_SAME) == 0) {
            address(h.sourceCode, h.source, 0);
        }
        boolean oneHop = (flags & FrameFlyweight.F_ONE_HOP) != 0;
        if ((flags & FrameFlyweight.F_TO_BROADCAST) != 0) {
            if (!oneHop) {
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), pos, h.bpi);
                pos += 8;
            }
        } else {
            address(h.destinationCode, h.destination, 0);
            if (!oneHop) {
                address(h.nextHopCode, h.nextHop, 0);
            }
        }
        if (!oneHop) {
            put((h.qos << 5) | (h.ttl & 0x1f));
        }
        if ((flags & FrameFlyweight.F_LEGACY_TYPE) != 0) {
            put(h.type);
        }
        if (version >= 1) {
            put(h.mdpSeq);
        }
        if (encapsulation == OverlayPacketFlyweight.ENCAP_OVERLAY) {
            put(len >> 8);
            put(len);
        }
        MemorySegment.copy(payload, off, buf, pos, len);
        pos += len;
        frames++;
        return true;
    }

    private void address(int code, byte[] bytes, int off) {
        put(code);
        int n = AddressCodes.bodyLength(code);
        MemorySegment.copy(bytes, off, buf, ValueLayout.JAVA_BYTE, pos, n);
        pos += n;
    }

    private void put(int b) {
        buf.set(ValueLayout.JAVA_BYTE, pos++, (byte) b);
    }

    /** Bytes written so far (header included). */
    public int length() {
        return (int) (pos - start);
    }

    /** Bytes still free before the MTU. */
    public int remaining() {
        return (int) (limit - pos);
    }

    public int frameCount() {
        return frames;
    }
}
