package org.clatter.clacks.json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes compact JSON using ASCII only: every character outside printable ASCII is a {@code \\uXXXX} escape
 * (surrogate pairs as two escapes), so the byte length is the character length and a clacks-p2p receiver
 * decodes it exactly (spec section 11.2). Member order is kept, numbers are written as their literal text.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {
    }

    public static String toJson(JsonValue v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    public static byte[] toBytes(JsonValue v) {
        return toJson(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends {@code v} to {@code sb}. */
    public static void write(JsonValue v, StringBuilder sb) {
        switch (v) {
            case JsonNull n -> sb.append("null");
            case JsonBoolean b -> sb.append(b.value() ? "true" : "false");
            case JsonNumber n -> sb.append(n.text());
            case JsonString s -> writeString(s.value(), sb);
            case JsonArray a -> {
                sb.append('[');
                boolean first = true;
                for (JsonValue e : a.elements()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(e, sb);
                }
                sb.append(']');
            }
            case JsonObject o -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    writeString(e.getKey(), sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
        }
    }

    /** Appends {@code s} as a quoted, ASCII-only JSON string. */
    public static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        sb.append(c);
                    } else {
                        sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    }
                }
            }
        }
        sb.append('"');
    }
}
