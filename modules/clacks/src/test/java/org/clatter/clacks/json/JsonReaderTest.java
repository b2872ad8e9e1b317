package org.clatter.clacks.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class JsonReaderTest {

    static JsonResult parse(String s) {
        return JsonReader.parse(s, JsonLimits.DEFAULT);
    }

    static JsonResult.Code code(String s) {
        return assertInstanceOf(JsonResult.Error.class, parse(s), s).code();
    }

    /** Arbitrary JSON values up to a depth, from a seeded generator (printed by QuickTheories on failure). */
    static JsonValue randomValue(Random r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 4 : 6);
        return switch (kind) {
            case 0 -> JsonNull.INSTANCE;
            case 1 -> JsonBoolean.of(r.nextBoolean());
            case 2 -> new JsonNumber(randomNumber(r));
            case 3 -> new JsonString(randomString(r));
            case 4 -> {
                List<JsonValue> l = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    l.add(randomValue(r, depth - 1));
                }
                yield new JsonArray(l);
            }
            default -> {
                Map<String, JsonValue> m = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put(randomString(r), randomValue(r, depth - 1));
                }
                yield new JsonObject(m);
            }
        };
    }

    static String randomNumber(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Long.toString(r.nextLong());
            case 1 -> Integer.toString(r.nextInt(1000));
            case 2 -> r.nextInt(100) + "." + r.nextInt(1000);
            default -> "-" + r.nextInt(10) + "e" + (r.nextBoolean() ? "+" : "-") + r.nextInt(300);
        };
    }

    static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            switch (r.nextInt(5)) {
                case 0 -> sb.append((char) ('a' + r.nextInt(26)));
                case 1 -> sb.append((char) r.nextInt(0x20));
                case 2 -> sb.append("\"\\/");
                case 3 -> sb.appendCodePoint(0x80 + r.nextInt(0x10FFFF - 0x80));
                default -> sb.append((char) (0xD800 + r.nextInt(0x800))); // lone surrogate, as JS allows
            }
        }
        return sb.toString();
    }

    @Test
    void writtenValuesParseBackEqualAndAscii() {
        qt().forAll(arbitrary().pick(List.of(0, 1, 2, 3, 4)), integers().all()).checkAssert((depth, seed) -> {
            JsonValue v = randomValue(new Random(seed), depth + 1);
            byte[] bytes = JsonWriter.toBytes(v);
            for (byte b : bytes) {
                assertTrue(b >= 0x20 && b < 0x7F, "writer output must be printable ASCII");
            }
            JsonResult r = JsonReader.parse(bytes, new JsonLimits(1 << 20, 16, 1 << 20, 4096, 64));
            assertEquals(new JsonResult.Ok(v), r, "seed " + seed);
            assertEquals(v.toJson(), ((JsonResult.Ok) r).value().toJson());
        });
    }

    @Test
    void arbitraryBytesGiveAValueOrAClearErrorNeverAnException() {
        qt().forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 300)).checkAssert(list -> {
            byte[] b = new byte[list.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) list.get(i);
            }
            JsonResult r = JsonReader.parse(b, JsonLimits.DEFAULT);
            if (r instanceof JsonResult.Error e) {
                assertTrue(e.offset() >= 0 && e.offset() <= b.length, "offset inside the input");
                assertTrue(!e.message().isBlank());
            }
        });
    }

    @Test
    void mutatedValidBodiesGiveAValueOrAClearError() {
        qt().forAll(integers().all(), integers().between(1, 8)).checkAssert((seed, mutations) -> {
            Random r = new Random(seed);
            byte[] b = JsonWriter.toBytes(randomValue(r, 3));
            for (int i = 0; i < mutations && b.length > 0; i++) {
                int at = r.nextInt(b.length);
                switch (r.nextInt(3)) {
                    case 0 -> b[at] = (byte) r.nextInt(256);
                    case 1 -> b = java.util.Arrays.copyOf(b, at);
                    default -> {
                        byte[] c = new byte[b.length + 1];
                        System.arraycopy(b, 0, c, 0, at);
                        byte[] specials = "{}[],:\"\\\u0000".getBytes(StandardCharsets.ISO_8859_1);
                        c[at] = specials[r.nextInt(specials.length)];
                        System.arraycopy(b, at, c, at + 1, b.length - at);
                        b = c;
                    }
                }
            }
            JsonResult res = JsonReader.parse(b, JsonLimits.DEFAULT);
            if (res instanceof JsonResult.Ok ok) {
                // whatever parsed must survive a round trip
                assertEquals(ok, JsonReader.parse(JsonWriter.toBytes(ok.value()), new JsonLimits(1 << 20, 64, 1 << 20, 1 << 16, 64)));
            }
        });
    }

    @Test
    void textRoundTripsThroughUtf8AndEscapes() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(s -> {
            String wellFormed = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder();
            JsonWriter.writeString(wellFormed, sb);
            // raw UTF-8 input with JSON escapes only where required
            String raw = "\"" + wellFormed.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            boolean hasControl = wellFormed.chars().anyMatch(c -> c < 0x20);
            JsonResult fromRaw = parse(raw);
            if (hasControl) {
                assertEquals(JsonResult.Code.CONTROL_CHARACTER, ((JsonResult.Error) fromRaw).code());
            } else {
                assertEquals(new JsonResult.Ok(new JsonString(wellFormed)), fromRaw);
            }
            assertEquals(new JsonResult.Ok(new JsonString(wellFormed)), parse(sb.toString()));
        });
    }

    @Test
    void limitsAreEnforcedWithNamedErrors() {
        JsonLimits tight = new JsonLimits(100, 3, 5, 3, 10);
        assertEquals(JsonResult.Code.TOO_LARGE, ((JsonResult.Error) JsonReader.parse(new byte[101], tight)).code());
        assertEquals(JsonResult.Code.TOO_DEEP, ((JsonResult.Error) JsonReader.parse("[[[[1]]]]", tight)).code());
        assertInstanceOf(JsonResult.Ok.class, JsonReader.parse("[[[1]]]", tight));
        assertEquals(JsonResult.Code.STRING_TOO_LONG, ((JsonResult.Error) JsonReader.parse("\"abcdef\"", tight)).code());
        assertEquals(JsonResult.Code.TOO_MANY_MEMBERS, ((JsonResult.Error) JsonReader.parse("[1,2,3,4]", tight)).code());
        assertEquals(JsonResult.Code.TOO_MANY_MEMBERS, ((JsonResult.Error) JsonReader.parse("{\"a\":1,\"b\":1,\"c\":1,\"d\":1}", tight)).code());
        assertEquals(JsonResult.Code.NUMBER_TOO_LONG, ((JsonResult.Error) JsonReader.parse("12345678901", tight)).code());
        // a very deep body is refused without recursing into it
        String deep = "[".repeat(50_000) + "]".repeat(50_000);
        assertEquals(JsonResult.Code.TOO_LARGE, ((JsonResult.Error) JsonReader.parse(deep, JsonLimits.DEFAULT)).code());
        String deepSmall = "[".repeat(10_000);
        assertEquals(JsonResult.Code.TOO_DEEP, ((JsonResult.Error) JsonReader.parse(deepSmall, JsonLimits.DEFAULT)).code());
    }

    @Test
    void strictUtf8() {
        byte[][] bad = {
            {'"', (byte) 0xC0, (byte) 0xAF, '"'},            // overlong '/'
            {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'}, // overlong
            {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // encoded surrogate
            {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
            {'"', (byte) 0x80, '"'},                            // lone continuation
            {'"', (byte) 0xFF, '"'},
        };
        for (byte[] b : bad) {
            assertEquals(JsonResult.Code.BAD_UTF8, ((JsonResult.Error) JsonReader.parse(b, JsonLimits.DEFAULT)).code());
        }
        assertEquals(JsonResult.Code.TRUNCATED, ((JsonResult.Error) JsonReader.parse(new byte[] {'"', (byte) 0xE2, (byte) 0x98}, JsonLimits.DEFAULT)).code());
        assertEquals(new JsonResult.Ok(new JsonString("caf\u00e9 \u2603 \uD83D\uDE00")), parse("\"caf\u00e9 \u2603 \uD83D\uDE00\""));
        assertEquals(new JsonResult.Ok(new JsonString("\uD83D\uDE00")), parse("\"\\ud83d\\ude00\""));
        assertEquals(new JsonResult.Ok(new JsonString("\uDC00")), parse("\"\\udc00\""));
    }

    @Test
    void grammarIsStrict() {
        for (String s : List.of("", " ", "01", "1.", ".5", "-", "+1", "1e", "[1,]", "{\"a\":1,}", "{'a':1}", "nul",
                "tru", "\"\\x\"", "\"\\u12g4\"", "[1 2]", "{\"a\" 1}", "\ufeff1", "1 2", "// c\n1", "NaN", "[")) {
            assertInstanceOf(JsonResult.Error.class, parse(s), s);
        }
        assertEquals(JsonResult.Code.EMPTY, code(""));
        assertEquals(JsonResult.Code.TRAILING_DATA, code("1 2"));
        assertEquals(JsonResult.Code.TRUNCATED, code("["));
        JsonObject o = (JsonObject) ((JsonResult.Ok) parse(" {\"a\":1, \"b\":[true,false,null], \"a\":2.5e-3} ")).value();
        assertEquals(List.of("a", "b"), List.copyOf(o.members().keySet()), "duplicate keys keep their first position");
        assertEquals(new JsonNumber("2.5e-3"), o.get("a").orElseThrow());
    }

    @Test
    void javascriptTruthiness() {
        for (String falsy : List.of("null", "false", "0", "-0", "0.0", "0e10", "\"\"")) {
            assertTrue(!((JsonResult.Ok) parse(falsy)).value().truthy(), falsy);
        }
        for (String truthy : List.of("true", "1", "-0.1", "\"0\"", "[]", "{}", "\" \"")) {
            assertTrue(((JsonResult.Ok) parse(truthy)).value().truthy(), truthy);
        }
    }

    @Test
    void reportsEverythingThroughResultsOnBadRanges() {
        Gen<Integer> any = integers().between(-5, 20);
        qt().forAll(any, any).checkAssert((off, len) -> {
            JsonResult r = JsonReader.parse(new byte[] {'[', '1', ']', ' ', '2'}, off, len, JsonLimits.DEFAULT);
            if (off < 0 || len < 0 || off + len > 5) {
                assertInstanceOf(JsonResult.Error.class, r);
            }
        });
    }
}
