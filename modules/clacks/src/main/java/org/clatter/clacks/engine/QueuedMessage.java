package org.clatter.clacks.engine;

import org.clatter.clacks.json.JsonLimits;
import org.clatter.clacks.json.JsonReader;
import org.clatter.clacks.json.JsonResult;
import org.clatter.clacks.json.JsonValue;

/**
 * A queued message, kept as its ASCII JSON bytes (compact, and exactly what goes on the wire) with its
 * envelope fields; empty strings mean "none".
 */
record QueuedMessage(byte[] json, String id, int ttl, String signer, String signature) {

    private static final JsonLimits REPARSE = new JsonLimits(Integer.MAX_VALUE, JsonLimits.DEPTH_CEILING,
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    /** The message as a value (parsed again; it was written by our own writer, so it parses). */
    JsonValue message() {
        return ((JsonResult.Ok) JsonReader.parse(json, REPARSE)).value();
    }
}
