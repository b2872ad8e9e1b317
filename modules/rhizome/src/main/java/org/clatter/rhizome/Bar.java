package org.clatter.rhizome;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Bundle Advertisement Record, 32 bytes ({@code serval-wire.md} §9.6): BID prefix (15), floor(log2 size)
 * ({@code 0xFF} for 0), the low 56 bits of the version big-endian (7), a fixed bounding box (8), ttl (1).
 */
public final class Bar {
    public static final int BYTES = 32;
    public static final int BID_PREFIX_BYTES = 15;
    private static final byte[] BOUNDING_BOX = {0, 0, 0, 0, (byte) 0xff, (byte) 0xf0, (byte) 0xff, (byte) 0xf0};

    private final byte[] bytes;

    private Bar(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The BAR of a manifest. */
    public static Bar of(Manifest m) {
        byte[] b = new byte[BYTES];
        System.arraycopy(m.id(), 0, b, 0, BID_PREFIX_BYTES);
        b[15] = (byte) sizeLog2(m.filesize());
        long v = m.version();
        for (int i = 0; i < 7; i++) {
            b[16 + i] = (byte) (v >>> (8 * (6 - i)));
        }
        System.arraycopy(BOUNDING_BOX, 0, b, 23, 8);
        return new Bar(b);
    }

    /** A BAR received from the wire (32 bytes at {@code off}). */
    public static Bar wrap(byte[] data, int off) {
        if (off < 0 || off > data.length - BYTES) {
            throw new RhizomeException("a BAR is 32 bytes; only " + Math.max(0, data.length - off) + " remain");
        }
        return new Bar(Arrays.copyOfRange(data, off, off + BYTES));
    }

    /** floor(log2(size)), 0xFF for 0: the BAR size byte and the rank of manifest requests. */
    public static int sizeLog2(long size) {
        return size == 0 ? 0xFF : 63 - Long.numberOfLeadingZeros(size);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public byte[] bidPrefix() {
        return Arrays.copyOf(bytes, BID_PREFIX_BYTES);
    }

    /** The size byte: floor(log2 filesize), 0xFF for an empty payload. */
    public int sizeByte() {
        return bytes[15] & 0xFF;
    }

    /** The low 56 bits of the version. */
    public long version() {
        long v = 0;
        for (int i = 0; i < 7; i++) {
            v = (v << 8) | (bytes[16 + i] & 0xFF);
        }
        return v;
    }

    public int ttl() {
        return bytes[31] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bar b && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
