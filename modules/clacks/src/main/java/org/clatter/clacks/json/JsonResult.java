package org.clatter.clacks.json;

/** What {@link JsonReader#parse} returns: a value, or an error saying what was wrong and where. */
public sealed interface JsonResult {

    /** The input was one valid JSON value within the limits. */
    record Ok(JsonValue value) implements JsonResult {
    }

    /** The input was rejected; {@code offset} is the byte position where the reader stopped. */
    record Error(Code code, int offset, String message) implements JsonResult {
    }

    /** Why an input was rejected (each is counted separately by the node). */
    enum Code {
        EMPTY, TOO_LARGE, TOO_DEEP, STRING_TOO_LONG, TOO_MANY_MEMBERS, NUMBER_TOO_LONG,
        BAD_UTF8, BAD_ESCAPE, CONTROL_CHARACTER, SYNTAX, TRAILING_DATA, TRUNCATED
    }
}
