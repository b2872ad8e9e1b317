package org.clatter.clacks.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A JSON object; member order is kept (a repeated key keeps its first position and its last value, as in JavaScript). */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {

    public JsonObject {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** The member named {@code key}, if present. */
    public Optional<JsonValue> get(String key) {
        return Optional.ofNullable(members.get(key));
    }

    @Override
    public boolean truthy() {
        return true;
    }
}
