package org.clatter.rhizome;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The {@code filehash} of a payload: SHA-512 of the stored bytes, computed streaming. */
public final class PayloadHash {
    private PayloadHash() {
    }

    /** Reads the stream to its end and returns the upper-case hex SHA-512 of its bytes. */
    public static String of(InputStream in) {
        MessageDigest md = Manifest.sha512();
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the payload to hash it failed: " + e.getMessage(), e);
        }
        return HexFormat.of().withUpperCase().formatHex(md.digest());
    }
}
