package org.clatter.signal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes protobuf wire format into a growing buffer. Fields are written in the order the caller gives. */
public final class ProtoWriter {
    private byte[] buf;
    private int pos;

    public ProtoWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public ProtoWriter() {
        this(64);
    }

    public ProtoWriter varint(int field, long value) {
        tag(field, ProtoReader.VARINT);
        rawVarint(value);
        return this;
    }

    /** An int32: negative values are sign-extended to ten bytes, as protobuf requires. */
    public ProtoWriter int32(int field, int value) {
        return varint(field, value);
    }

    public ProtoWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    public ProtoWriter bytes(int field, byte[] value) {
        return bytes(field, value, 0, value.length);
    }

    public ProtoWriter bytes(int field, byte[] value, int offset, int length) {
        tag(field, ProtoReader.LEN);
        rawVarint(length);
        ensure(length);
        System.arraycopy(value, offset, buf, pos, length);
        pos += length;
        return this;
    }

    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message. */
    public ProtoWriter message(int field, ProtoWriter inner) {
        return bytes(field, inner.buf, 0, inner.pos);
    }

    public int size() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }
}
