package org.clatter.spi.routing;

import java.util.Arrays;
import java.util.HexFormat;

/** A node's 32-byte identity on the mesh (for Serval: the SID). Immutable; prints as upper-case hex. */
public final class NodeId implements Comparable<NodeId> {
    public static final int BYTES = 32;
    private final byte[] bytes;
    private final int hash;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Copies 32 bytes starting at {@code off}. */
    public static NodeId of(byte[] src, int off) {
        if (off < 0 || src.length - off < BYTES) {
            throw new IllegalArgumentException("a NodeId needs 32 bytes");
        }
        return new NodeId(Arrays.copyOfRange(src, off, off + BYTES));
    }

    public static NodeId of(byte[] src) {
        if (src.length != BYTES) {
            throw new IllegalArgumentException("a NodeId is 32 bytes, got " + src.length);
        }
        return of(src, 0);
    }

    /** Parses 64 hex digits, either case. */
    public static NodeId parse(String hex) {
        if (hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("a NodeId is 64 hex digits, got " + hex.length() + " characters");
        }
        return new NodeId(HexFormat.of().parseHex(hex));
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the 32 bytes into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, BYTES);
    }

    /** Byte {@code i} (0..31). */
    public byte byteAt(int i) {
        return bytes[i];
    }

    /** Whether the first {@code len} bytes equal {@code prefix[off, off+len)}. */
    public boolean startsWith(byte[] prefix, int off, int len) {
        return len <= BYTES && Arrays.equals(bytes, 0, len, prefix, off, off + len);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && n.hash == hash && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** The first {@code hexDigits} hex digits, for logs ({@code 5D1628BC*}). */
    public String abbreviation(int hexDigits) {
        return toString().substring(0, Math.min(hexDigits, 2 * BYTES)) + "*";
    }
}
