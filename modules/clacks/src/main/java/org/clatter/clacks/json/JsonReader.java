package org.clatter.clacks.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one JSON value (RFC 8259) from UTF-8 bytes under {@link JsonLimits}. Strict: no BOM, no comments, no
 * trailing commas, no leading zeros, only the four JSON whitespace characters, and malformed UTF-8 (overlong
 * forms, encoded surrogates, code points above U+10FFFF, truncated sequences) is rejected. {@code \\u} escapes
 * may form lone surrogates, as JavaScript allows. Never throws: every failure is a {@link JsonResult.Error}.
 */
public final class JsonReader {

    private final byte[] in;
    private final int end;
    private final JsonLimits limits;
    private final StringBuilder sb = new StringBuilder();
    private int pos;

    private JsonReader(byte[] in, int off, int len, JsonLimits limits) {
        this.in = in;
        this.pos = off;
        this.end = off + len;
        this.limits = limits;
    }

    /** Parses {@code in[off, off+len)}. */
    public static JsonResult parse(byte[] in, int off, int len, JsonLimits limits) {
        if (off < 0 || len < 0 || off + len > in.length) {
            return new JsonResult.Error(JsonResult.Code.TRUNCATED, 0, "range outside the input");
        }
        if (len == 0) {
            return new JsonResult.Error(JsonResult.Code.EMPTY, 0, "empty body; expected one JSON value");
        }
        if (len > limits.maxBytes()) {
            return new JsonResult.Error(JsonResult.Code.TOO_LARGE, limits.maxBytes(),
                    "body of " + len + " bytes exceeds the limit of " + limits.maxBytes());
        }
        JsonReader r = new JsonReader(in, off, len, limits);
        try {
            r.skipWhitespace();
            JsonValue v = r.value(0);
            r.skipWhitespace();
            if (r.pos != r.end) {
                return new JsonResult.Error(JsonResult.Code.TRAILING_DATA, r.pos - off,
                        "unexpected data after the JSON value");
            }
            return new JsonResult.Ok(v);
        } catch (Failure f) {
            return new JsonResult.Error(f.code, f.offset - off, f.getMessage());
        }
    }

    public static JsonResult parse(byte[] in, JsonLimits limits) {
        return parse(in, 0, in.length, limits);
    }

    /** Parses a Java string (encoded as UTF-8 first; lone surrogates in it become {@code ?}). */
    public static JsonResult parse(String text, JsonLimits limits) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parse(b, 0, b.length, limits);
    }

    /** True if {@code s} matches the JSON number grammar. */
    public static boolean isNumberLiteral(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (s.charAt(i) >= '1' && s.charAt(i) <= '9') {
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        } else {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private JsonValue value(int depth) {
        if (pos >= end) {
            throw fail(JsonResult.Code.TRUNCATED, "input ends where a value was expected");
        }
        int c = in[pos] & 0xFF;
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> new JsonString(string());
            case 't' -> literal("true", JsonBoolean.TRUE);
            case 'f' -> literal("false", JsonBoolean.FALSE);
            case 'n' -> literal("null", JsonNull.INSTANCE);
            default -> {
                if (c == '-' || isDigit(c)) {
                    yield number();
                }
                throw fail(JsonResult.Code.SYNTAX, "unexpected character " + describe(c) + " where a value was expected");
            }
        };
    }

    private JsonValue literal(String word, JsonValue v) {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= end) {
                throw fail(JsonResult.Code.TRUNCATED, "input ends inside '" + word + "'");
            }
            if ((in[pos] & 0xFF) != word.charAt(i)) {
                throw fail(JsonResult.Code.SYNTAX, "expected '" + word + "'");
            }
            pos++;
        }
        return v;
    }

    private JsonObject object(int depth) {
        checkDepth(depth);
        pos++;
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonObject(members);
        }
        int count = 0;
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw fail(pos >= end ? JsonResult.Code.TRUNCATED : JsonResult.Code.SYNTAX, "expected a member name in quotes");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            JsonValue v = value(depth);
            if (++count > limits.maxMembers()) {
                throw fail(JsonResult.Code.TOO_MANY_MEMBERS, "more than " + limits.maxMembers() + " members in one object");
            }
            members.put(key, v); // a repeated key keeps its first position, as in JavaScript
            skipWhitespace();
            int c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return new JsonObject(members);
            } else {
                throw fail(c < 0 ? JsonResult.Code.TRUNCATED : JsonResult.Code.SYNTAX, "expected ',' or '}' in an object");
            }
        }
    }

    private JsonArray array(int depth) {
        checkDepth(depth);
        pos++;
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value(depth));
            if (elements.size() > limits.maxMembers()) {
                throw fail(JsonResult.Code.TOO_MANY_MEMBERS, "more than " + limits.maxMembers() + " elements in one array");
            }
            skipWhitespace();
            int c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return new JsonArray(elements);
            } else {
                throw fail(c < 0 ? JsonResult.Code.TRUNCATED : JsonResult.Code.SYNTAX, "expected ',' or ']' in an array");
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            throw fail(JsonResult.Code.TOO_DEEP, "nesting deeper than " + limits.maxDepth());
        }
    }

    private JsonNumber number() {
        int start = pos;
        while (pos < end) {
            int c = in[pos] & 0xFF;
            if (isDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
                pos++;
                if (pos - start > limits.maxNumberChars()) {
                    throw fail(JsonResult.Code.NUMBER_TOO_LONG, "number longer than " + limits.maxNumberChars() + " characters");
                }
            } else {
                break;
            }
        }
        String text = new String(in, start, pos - start, java.nio.charset.StandardCharsets.US_ASCII);
        if (!isNumberLiteral(text)) {
            pos = start;
            throw fail(JsonResult.Code.SYNTAX, "malformed number '" + text + "'");
        }
        return new JsonNumber(text);
    }

    private String string() {
        pos++; // opening quote
        sb.setLength(0);
        while (true) {
            if (pos >= end) {
                throw fail(JsonResult.Code.TRUNCATED, "input ends inside a string");
            }
            int c = in[pos] & 0xFF;
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c == '\\') {
                escape();
            } else if (c < 0x20) {
                throw fail(JsonResult.Code.CONTROL_CHARACTER, "unescaped control character " + describe(c) + " in a string");
            } else if (c < 0x80) {
                sb.append((char) c);
                pos++;
            } else {
                sb.appendCodePoint(utf8(c));
            }
            if (sb.length() > limits.maxStringChars()) {
                throw fail(JsonResult.Code.STRING_TOO_LONG, "string longer than " + limits.maxStringChars() + " characters");
            }
        }
    }

    private void escape() {
        pos++;
        if (pos >= end) {
            throw fail(JsonResult.Code.TRUNCATED, "input ends inside an escape");
        }
        int c = in[pos++] & 0xFF;
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    if (pos >= end) {
                        throw fail(JsonResult.Code.TRUNCATED, "input ends inside a \\u escape");
                    }
                    int d = Character.digit(in[pos] & 0xFF, 16);
                    if (d < 0 || (in[pos] & 0x80) != 0) {
                        throw fail(JsonResult.Code.BAD_ESCAPE, "\\u must be followed by four hex digits");
                    }
                    v = (v << 4) | d;
                    pos++;
                }
                sb.append((char) v);
            }
            default -> {
                pos--;
                throw fail(JsonResult.Code.BAD_ESCAPE, "unknown escape \\" + describe(c));
            }
        }
    }

    /** Decodes one multi-byte UTF-8 sequence starting with {@code b0} at {@code pos}, strictly (RFC 3629). */
    private int utf8(int b0) {
        int need;
        int cp;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            cp = b0 & 0x0F;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            cp = b0 & 0x07;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            throw fail(JsonResult.Code.BAD_UTF8, "byte " + describe(b0) + " cannot start a UTF-8 sequence");
        }
        pos++;
        for (int i = 0; i < need; i++) {
            if (pos >= end) {
                throw fail(JsonResult.Code.TRUNCATED, "input ends inside a UTF-8 sequence");
            }
            int b = in[pos] & 0xFF;
            if (b < (i == 0 ? lo : 0x80) || b > (i == 0 ? hi : 0xBF)) {
                throw fail(JsonResult.Code.BAD_UTF8, "invalid UTF-8 continuation byte " + describe(b));
            }
            cp = (cp << 6) | (b & 0x3F);
            pos++;
        }
        return cp;
    }

    private int peek() {
        return pos < end ? in[pos] & 0xFF : -1;
    }

    private void expect(char c) {
        if (pos >= end) {
            throw fail(JsonResult.Code.TRUNCATED, "input ends where '" + c + "' was expected");
        }
        if ((in[pos] & 0xFF) != c) {
            throw fail(JsonResult.Code.SYNTAX, "expected '" + c + "' but found " + describe(in[pos] & 0xFF));
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private static String describe(int c) {
        return c >= 0x21 && c < 0x7F ? "'" + (char) c + "'" : String.format("0x%02X", c);
    }

    private Failure fail(JsonResult.Code code, String message) {
        return new Failure(code, pos, message);
    }

    /** Internal control flow only; never escapes {@link #parse}. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final JsonResult.Code code;
        final int offset;

        Failure(JsonResult.Code code, int offset, String message) {
            super(message, null, false, false);
            this.code = code;
            this.offset = offset;
        }
    }
}
