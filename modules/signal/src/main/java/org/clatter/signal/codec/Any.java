package org.clatter.signal.codec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code google.protobuf.Any}: 1 {@code type_url} string, 2 {@code value} bytes. Both fields are always written
 * (the vectors of spec §2.3 write an empty value as {@code 12 00}).
 */
public record Any(String typeUrl, byte[] value) {
    public static final Any EMPTY = new Any("google.protobuf.Empty", new byte[0]);

    public Any {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The length of {@link #value()} without copying it. */
    public int valueLength() {
        return value.length;
    }

    void write(ProtoWriter w) {
        w.string(1, typeUrl).bytes(2, value);
    }

    public static Any decode(ProtoReader r) {
        String url = "";
        byte[] value = new byte[0];
        while (r.next()) {
            switch (r.field()) {
                case 1 -> url = r.string();
                case 2 -> value = r.bytes();
                default -> r.skip();
            }
        }
        return new Any(url, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Any a && a.typeUrl.equals(typeUrl) && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return typeUrl.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Any[" + typeUrl + ", " + HexFormat.of().formatHex(value) + "]";
    }
}
