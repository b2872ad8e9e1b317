package org.clatter.mdp.tools;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.clatter.mdp.MdpException;

/**
 * Reads a classic libpcap file in place: Ethernet link type (1), IPv4, UDP. Other frames (TCP, ARP, IPv6,
 * fragments) are returned with {@link #isUdp()} false. A damaged record ends the walk; {@link #damaged()} says so.
 *
 * <pre>
 *   global header (24): magic, version, zone, sigfigs, snaplen, link type
 *   record: ts_sec u32 | ts_usec u32 | incl_len u32 | orig_len u32 | frame bytes
 *   Ethernet (14, +4 per 802.1Q tag) | IPv4 (IHL*4) | UDP (8) | payload
 * </pre>
 */
public final class PcapReader {
    public static final int LINKTYPE_ETHERNET = 1;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment seg;
    private final ValueLayout.OfInt u32;
    private final boolean nanos;
    private long pos = 24;
    private int frameNumber;
    private long timestampMicros;
    private boolean udp;
    private boolean damaged;
    private int srcAddress;
    private int dstAddress;
    private int srcPort;
    private int dstPort;
    private long payloadOffset;
    private int payloadLength;

    /**
     * @throws MdpException when the bytes are not a libpcap file with Ethernet link type
     */
    public PcapReader(MemorySegment file) {
        this.seg = file;
        if (file.byteSize() < 24) {
            throw new MdpException("not a pcap file: shorter than the 24-byte header");
        }
        int magicBe = file.get(BE32, 0);
        ByteOrder order;
        boolean ns;
        switch (magicBe) {
            case 0xa1b2c3d4 -> { order = ByteOrder.BIG_ENDIAN; ns = false; }
            case 0xd4c3b2a1 -> { order = ByteOrder.LITTLE_ENDIAN; ns = false; }
            case 0xa1b23c4d -> { order = ByteOrder.BIG_ENDIAN; ns = true; }
            case 0x4d3cb2a1 -> { order = ByteOrder.LITTLE_ENDIAN; ns = true; }
            default -> throw new MdpException("not a classic pcap file (magic " + Integer.toHexString(magicBe)
                    + "); pcapng is not supported, convert with 'editcap -F pcap IN OUT'");
        }
        this.u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.nanos = ns;
        int link = file.get(u32, 20);
        if (link != LINKTYPE_ETHERNET) {
            throw new MdpException("pcap link type " + link + " is not supported; capture with an Ethernet link type "
                    + "(tcpdump -i lo or -i eth0)");
        }
    }

    public static PcapReader of(byte[] file) {
        return new PcapReader(MemorySegment.ofArray(file));
    }

    /** Moves to the next record; false at the end of the file or at a damaged record. */
    public boolean next() {
        udp = false;
        if (pos + 16 > seg.byteSize()) {
            return false;
        }
        long sec = seg.get(u32, pos) & 0xffffffffL;
        long frac = seg.get(u32, pos + 4) & 0xffffffffL;
        int incl = seg.get(u32, pos + 8);
        long data = pos + 16;
        if (incl < 0 || data + incl > seg.byteSize()) {
            damaged = true;
            return false;
        }
        frameNumber++;
        timestampMicros = sec * 1_000_000 + (nanos ? frac / 1000 : frac);
        pos = data + incl;
        parseEthernet(data, data + incl);
        return true;
    }

    private void parseEthernet(long p, long end) {
        if (p + 14 > end) {
            return;
        }
        long q = p + 12;
        int type = seg.get(BE16, q) & 0xffff;
        while (type == 0x8100 && q + 6 <= end) {
            q += 4;
            type = seg.get(BE16, q) & 0xffff;
        }
        if (type != 0x0800) {
            return;
        }
        long ip = q + 2;
        if (ip + 20 > end) {
            return;
        }
        int vihl = seg.get(ValueLayout.JAVA_BYTE, ip) & 0xff;
        int ihl = (vihl & 0xf) * 4;
        int totalLen = seg.get(BE16, ip + 2) & 0xffff;
        int frag = seg.get(BE16, ip + 6) & 0xffff;
        int proto = seg.get(ValueLayout.JAVA_BYTE, ip + 9) & 0xff;
        if ((vihl >> 4) != 4 || ihl < 20 || proto != 17 || (frag & 0x3fff) != 0) {
            return;
        }
        long ipEnd = Math.min(end, ip + totalLen);
        long u = ip + ihl;
        if (u + 8 > ipEnd) {
            return;
        }
        srcAddress = seg.get(BE32, ip + 12);
        dstAddress = seg.get(BE32, ip + 16);
        srcPort = seg.get(BE16, u) & 0xffff;
        dstPort = seg.get(BE16, u + 2) & 0xffff;
        int udpLen = seg.get(BE16, u + 4) & 0xffff;
        if (udpLen < 8 || u + udpLen > ipEnd) {
            return;
        }
        payloadOffset = u + 8;
        payloadLength = udpLen - 8;
        udp = true;
    }

    public MemorySegment segment() {
        return seg;
    }

    /** 1-based record number, as Wireshark numbers frames. */
    public int frameNumber() {
        return frameNumber;
    }

    public long timestampMicros() {
        return timestampMicros;
    }

    public boolean isUdp() {
        return udp;
    }

    /** Whether the walk stopped at a record running past the end of the file. */
    public boolean damaged() {
        return damaged;
    }

    public int srcAddress() {
        return srcAddress;
    }

    public int dstAddress() {
        return dstAddress;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public long payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** Dotted-quad text of an IPv4 address from this reader. */
    public static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }
}
