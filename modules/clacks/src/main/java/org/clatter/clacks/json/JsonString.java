package org.clatter.clacks.json;

import java.util.Objects;

/** A JSON string (it may hold lone surrogates, as JavaScript strings may; they are written back as escapes). */
public record JsonString(String value) implements JsonValue {

    public JsonString {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean truthy() {
        return !value.isEmpty();
    }
}
