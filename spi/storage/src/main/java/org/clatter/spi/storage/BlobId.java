package org.clatter.spi.storage;

import java.util.Arrays;
import java.util.HexFormat;

/** The SHA-512 of a blob's bytes: its address in a {@link BlobStore}. Prints as upper-case hex. */
public final class BlobId {
    public static final int BYTES = 64;
    private final byte[] hash;

    private BlobId(byte[] hash) {
        this.hash = hash;
    }

    public static BlobId of(byte[] sha512) {
        if (sha512.length != BYTES) {
            throw new IllegalArgumentException("a BlobId is a 64-byte SHA-512, got " + sha512.length + " bytes");
        }
        return new BlobId(sha512.clone());
    }

    public static BlobId parse(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] toBytes() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId b && Arrays.equals(b.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return HexFormat.of().withUpperCase().formatHex(hash);
    }
}
