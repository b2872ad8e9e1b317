package org.clatter.rhizome.meshms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * MeshMS2 ply records ({@code serval-wire.md} §10): each is {@code body ‖ footer}, footer = u16le
 * {@code (body_len << 4) | type}; a ply is read backwards from its end. Bodies are at most 4095 bytes.
 */
public final class PlyCodec {
    public static final int MAX_BODY = 4095;

    private PlyCodec() {
    }

    /** A decoded record and where it lies in the ply: {@code [start, end)} including its footer. */
    public record Entry(PlyRecord record, long start, long end) {
    }

    /**
     * The result of decoding a ply: the records in file order and, if decoding stopped early, why.
     * A malformed ply never throws; the records after the damage (read backwards, those at the end) are kept.
     */
    public record Decoded(List<Entry> entries, Optional<String> error) {
        public Decoded {
            entries = List.copyOf(entries);
        }
    }

    /** Encodes one record. */
    public static byte[] encode(PlyRecord r) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int type;
        switch (r) {
            case PlyRecord.Message m -> {
                body.writeBytes(m.text().getBytes(StandardCharsets.UTF_8));
                body.write(0);
                type = PlyRecord.TYPE_MESSAGE;
            }
            case PlyRecord.Time t -> {
                for (int i = 0; i < 4; i++) {
                    body.write((int) (t.unixSeconds() >>> (8 * i)));
                }
                type = PlyRecord.TYPE_TIME;
            }
            case PlyRecord.Ack a -> {
                writeVarint(body, a.endOffset());
                type = PlyRecord.TYPE_ACK;
            }
            case PlyRecord.Unknown u -> {
                if (u.type() < 0 || u.type() > 15) {
                    throw new MeshMsException("a ply record type is 0..15, got " + u.type());
                }
                body.writeBytes(u.body());
                type = u.type();
            }
        }
        int len = body.size();
        if (len > MAX_BODY) {
            throw new MeshMsException("a ply record body is at most " + MAX_BODY + " bytes, this one is " + len
                    + "; split the message");
        }
        int footer = (len << 4) | type;
        body.write(footer);
        body.write(footer >>> 8);
        return body.toByteArray();
    }

    /** Encodes several records back to back. */
    public static byte[] encode(List<PlyRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PlyRecord r : records) {
            out.writeBytes(encode(r));
        }
        return out.toByteArray();
    }

    /** Decodes a whole ply (logical offsets start at {@code base}, e.g. the journal tail). */
    public static Decoded decode(byte[] ply, long base) {
        List<Entry> entries = new ArrayList<>();
        int end = ply.length;
        Optional<String> error = Optional.empty();
        while (end > 0) {
            if (end < 2) {
                error = Optional.of("1 byte left before offset " + (base + end) + ": not a record footer");
                break;
            }
            int footer = (ply[end - 2] & 0xFF) | (ply[end - 1] & 0xFF) << 8;
            int len = footer >>> 4;
            int type = footer & 0xF;
            int start = end - 2 - len;
            if (start < 0) {
                error = Optional.of("record ending at " + (base + end) + " claims " + len + " bytes, only "
                        + (end - 2) + " precede it");
                break;
            }
            byte[] body = Arrays.copyOfRange(ply, start, end - 2);
            Optional<PlyRecord> r = record(type, body);
            if (r.isEmpty()) {
                error = Optional.of("malformed type-" + type + " record at " + (base + start));
                break;
            }
            entries.add(new Entry(r.get(), base + start, base + end));
            end = start;
        }
        Collections.reverse(entries);
        return new Decoded(entries, error);
    }

    private static Optional<PlyRecord> record(int type, byte[] body) {
        switch (type) {
            case PlyRecord.TYPE_MESSAGE -> {
                int n = body.length;
                if (n > 0 && body[n - 1] == 0) {
                    n--;
                }
                return Optional.of(new PlyRecord.Message(new String(body, 0, n, StandardCharsets.UTF_8)));
            }
            case PlyRecord.TYPE_TIME -> {
                if (body.length < 4) {
                    return Optional.empty();
                }
                long t = (body[0] & 0xFFL) | (body[1] & 0xFFL) << 8 | (body[2] & 0xFFL) << 16 | (body[3] & 0xFFL) << 24;
                return Optional.of(new PlyRecord.Time(t));
            }
            case PlyRecord.TYPE_ACK -> {
                long v = 0;
                int shift = 0;
                for (int i = 0; i < body.length && shift < 64; i++) {
                    v |= (long) (body[i] & 0x7F) << shift;
                    if ((body[i] & 0x80) == 0) {
                        return Optional.of(new PlyRecord.Ack(v));
                    }
                    shift += 7;
                }
                return Optional.empty();
            }
            default -> {
                return Optional.of(new PlyRecord.Unknown(type, body));
            }
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
