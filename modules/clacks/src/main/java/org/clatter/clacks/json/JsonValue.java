package org.clatter.clacks.json;

/**
 * A JSON value as Clacks carries it in {@code message}: immutable, with object keys in arrival order and numbers
 * kept as their literal text, so writing a parsed value gives the same bytes back (signatures rely on that).
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /**
     * JavaScript truthiness, which clacks-p2p uses to decide whether a message is queued at all: {@code null},
     * {@code false}, {@code ""} and numbers equal to zero are falsy, everything else (even {@code []}) is truthy.
     */
    boolean truthy();

    /** This value as compact, ASCII-only JSON text (see {@link JsonWriter}). */
    default String toJson() {
        return JsonWriter.toJson(this);
    }
}
