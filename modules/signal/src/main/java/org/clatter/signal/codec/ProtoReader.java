package org.clatter.signal.codec;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads protobuf wire format from {@code byte[offset, limit)} with strict bounds (proto3 encoding, spec
 * {@code dxos-signal.md} §1). Usage: {@code while (r.next()) switch (r.field()) {...; default -> r.skip();}}.
 */
public final class ProtoReader {
    public static final int VARINT = 0;
    public static final int I64 = 1;
    public static final int LEN = 2;
    public static final int I32 = 5;

    private final byte[] buf;
    private final int limit;
    private int pos;
    private int tag;

    public ProtoReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new ProtoException("range " + offset + "+" + length + " outside a buffer of " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** Reads the next tag; false at the end of the input. */
    public boolean next() {
        if (pos >= limit) {
            return false;
        }
        long t = readVarint();
        if (t > 0xFFFF_FFFFL || (t >>> 3) == 0) {
            throw new ProtoException("invalid tag " + t + " at offset " + pos);
        }
        tag = (int) t;
        int wt = tag & 7;
        if (wt != VARINT && wt != I64 && wt != LEN && wt != I32) {
            throw new ProtoException("unsupported wire type " + wt + " for field " + (tag >>> 3));
        }
        return true;
    }

    public int field() {
        return tag >>> 3;
    }

    public int wireType() {
        return tag & 7;
    }

    /** Skips the current field's value (unknown fields are skipped, never an error). */
    public void skip() {
        switch (wireType()) {
            case VARINT -> readVarint();
            case I64 -> advance(8);
            case I32 -> advance(4);
            case LEN -> advance(readLength());
            default -> throw new ProtoException("unsupported wire type " + wireType());
        }
    }

    public long varint() {
        expect(VARINT);
        return readVarint();
    }

    /** An int32 field (negative values arrive sign-extended to 64 bits). */
    public int int32() {
        return (int) varint();
    }

    public boolean bool() {
        return varint() != 0;
    }

    public byte[] bytes() {
        expect(LEN);
        int n = readLength();
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public String string() {
        expect(LEN);
        int n = readLength();
        if (isAscii(buf, pos, n)) {
            // The common case (method names, type URLs): no decoder needed.
            String s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
            pos += n;
            return s;
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new ProtoException("field " + field() + " is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** A reader over the current length-delimited field (an embedded message); this reader moves past it. */
    public ProtoReader message() {
        expect(LEN);
        int n = readLength();
        ProtoReader r = new ProtoReader(buf, pos, n);
        pos += n;
        return r;
    }

    private void expect(int wireType) {
        if (wireType() != wireType) {
            throw new ProtoException("field " + field() + " has wire type " + wireType() + ", expected " + wireType);
        }
    }

    private int readLength() {
        long n = readVarint();
        if (n < 0 || n > limit - pos) {
            throw new ProtoException("length " + n + " of field " + field() + " runs past the end ("
                    + (limit - pos) + " bytes left)");
        }
        return (int) n;
    }

    private void advance(int n) {
        if (n > limit - pos) {
            throw new ProtoException("field " + field() + " is truncated");
        }
        pos += n;
    }

    private long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= limit) {
                throw new ProtoException("truncated varint");
            }
            byte b = buf[pos++];
            if (shift == 63 && (b & 0xFE) != 0) {
                throw new ProtoException("varint longer than 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new ProtoException("varint longer than 10 bytes");
    }
}
