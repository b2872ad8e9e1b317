package org.clatter.mdp;

import java.util.Arrays;
import java.util.HexFormat;
import org.clatter.spi.routing.NodeId;

/**
 * A Serval subscriber id: the 32-byte X25519 public key of an identity (spec §1). Immutable; prints as upper-case
 * hex. All {@code 0xFF} is {@link #BROADCAST}, all zero is {@link #ANY}.
 */
public final class Sid implements Comparable<Sid> {
    public static final int BYTES = 32;
    public static final Sid BROADCAST = new Sid(filled((byte) 0xFF));
    public static final Sid ANY = new Sid(new byte[BYTES]);
    private final byte[] bytes;
    private final int hash;

    private Sid(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
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
        return new Sid(Arrays.copyOfRange(src, off, off + BYTES));
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
            return new Sid(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new MdpException("a SID is 64 hex digits; not hex: " + hex, e);
        }
    }

    public static Sid of(NodeId id) {
        return new Sid(id.toBytes());
    }

    public NodeId toNodeId() {
        return NodeId.of(bytes);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, BYTES);
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    /** Whether the first {@code len} bytes equal {@code prefix[off, off+len)}. */
    public boolean startsWith(byte[] prefix, int off, int len) {
        return len <= BYTES && Arrays.equals(bytes, 0, len, prefix, off, off + len);
    }

    /** Whether the 32 bytes equal {@code other[off, off+32)}. */
    public boolean equalsBytes(byte[] other, int off) {
        return Arrays.equals(bytes, 0, BYTES, other, off, off + BYTES);
    }

    public boolean isBroadcast() {
        return equals(BROADCAST);
    }

    @Override
    public int compareTo(Sid o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid s && s.hash == hash && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** The first {@code hexDigits} hex digits and a star, for logs and reports ({@code 5D1628*}). */
    public String abbreviation(int hexDigits) {
        return toString().substring(0, Math.min(hexDigits, 2 * BYTES)) + "*";
    }
}
