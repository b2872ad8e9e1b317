package org.clatter.mdp;

import java.util.Arrays;
import java.util.HexFormat;
import org.clatter.spi.routing.NodeId;

/**
 * A Serval subscriber id: the 32-byte X25519 public key of an identity (spec §1). Immutable; prints as upper-case
 * hex. All {@code 0xFF} is {@link #BROADCAST}, all zero is {@link #ANY}. It is the routing SPI's {@link NodeId}
 * with Serval's error messages and special values; {@link #toNodeId()} and {@link #of(NodeId)} cost nothing.
 */
public final class Sid implements Comparable<Sid> {
    public static final int BYTES = NodeId.BYTES;
    public static final Sid BROADCAST = new Sid(NodeId.of(filled((byte) 0xFF)));
    public static final Sid ANY = new Sid(NodeId.of(new byte[BYTES]));
    private final NodeId id;

    private Sid(NodeId id) {
        this.id = id;
    }

    private static byte[] filled(byte b) {
        byte[] a = new byte[BYTES];
        Arrays.fill(a, b);
        return a;
    }

    /** Copies 32 bytes from {@code src} at {@code off}. */
    public static Sid of(byte[] src, int off) {
        if (off < 0 || src.length - off < BYTES) {
            throw new MdpException("a SID needs 32 bytes; got " + Math.max(0, src.length - off));
        }
        return new Sid(NodeId.of(src, off));
    }

    public static Sid of(byte[] src) {
        if (src.length != BYTES) {
            throw new MdpException("a SID is 32 bytes; got " + src.length);
        }
        return of(src, 0);
    }

    /** Parses 64 hex digits, either case. */
    public static Sid parse(String hex) {
        if (hex.length() != 2 * BYTES) {
            throw new MdpException("a SID is 64 hex digits; got " + hex.length() + " characters: " + hex);
        }
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new MdpException("a SID is 64 hex digits; not hex: " + hex, e);
        }
    }

    public static Sid of(NodeId id) {
        return new Sid(id);
    }

    public NodeId toNodeId() {
        return id;
    }

    public byte[] toBytes() {
        return id.toBytes();
    }

    public void copyTo(byte[] dst, int off) {
        id.copyTo(dst, off);
    }

    public byte byteAt(int i) {
        return id.byteAt(i);
    }

    /** Whether the first {@code len} bytes equal {@code prefix[off, off+len)}. */
    public boolean startsWith(byte[] prefix, int off, int len) {
        return id.startsWith(prefix, off, len);
    }

    /** Whether the 32 bytes equal {@code other[off, off+32)}. */
    public boolean equalsBytes(byte[] other, int off) {
        return id.startsWith(other, off, BYTES);
    }

    public boolean isBroadcast() {
        return equals(BROADCAST);
    }

    @Override
    public int compareTo(Sid o) {
        return id.compareTo(o.id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid s && s.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id.toString();
    }

    /** The first {@code hexDigits} hex digits and a star, for logs and reports ({@code 5D1628*}). */
    public String abbreviation(int hexDigits) {
        return id.abbreviation(hexDigits);
    }
}
