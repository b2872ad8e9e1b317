package org.clatter.clacks.json;

/** JSON {@code null} (a value, so that the public API never carries a Java null). */
public enum JsonNull implements JsonValue {
    INSTANCE;

    @Override
    public boolean truthy() {
        return false;
    }
}
