package org.clatter.clacks.json;

/**
 * Bounds the reader enforces before it allocates: input bytes, nesting depth, characters per string (UTF-16
 * units, as JavaScript counts), members per object or array, and characters per number literal.
 */
public record JsonLimits(int maxBytes, int maxDepth, int maxStringChars, int maxMembers, int maxNumberChars) {

    /** The largest nesting depth accepted at all: the reader recurses once per level. */
    public static final int DEPTH_CEILING = 1000;

    /** Defaults for a Clacks request body: 64 KiB, depth 32, 16 Ki characters per string, 4 096 members. */
    public static final JsonLimits DEFAULT = new JsonLimits(64 * 1024, 32, 16 * 1024, 4096, 64);

    public JsonLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxDepth > DEPTH_CEILING || maxStringChars < 0 || maxMembers < 0
                || maxNumberChars < 1) {
            throw new IllegalArgumentException("JSON limits must be positive and the depth at most "
                    + DEPTH_CEILING + ": " + maxBytes + "/" + maxDepth + "/" + maxStringChars + "/" + maxMembers
                    + "/" + maxNumberChars);
        }
    }
}
