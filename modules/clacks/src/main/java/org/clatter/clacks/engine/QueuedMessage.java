package org.clatter.clacks.engine;

import java.util.HexFormat;
import org.clatter.clacks.json.JsonLimits;
import org.clatter.clacks.json.JsonReader;
import org.clatter.clacks.json.JsonResult;
import org.clatter.clacks.json.JsonValue;

/**
 * A queued message, kept as its ASCII JSON bytes (compact, and exactly what goes on the wire) with its envelope:
 * the 128-bit id as two longs, present when {@code ttl > 0}; signer and signature are empty strings when absent.
 */
record QueuedMessage(byte[] json, long idHi, long idLo, int ttl, String signer, String signature) {

    private static final JsonLimits REPARSE = new JsonLimits(Integer.MAX_VALUE, JsonLimits.DEPTH_CEILING,
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    /** A message without id or hop count (from clacks-p2p, or with ids turned off). */
    static QueuedMessage plain(byte[] json) {
        return new QueuedMessage(json, 0, 0, 0, "", "");
    }

    boolean hasId() {
        return ttl > 0;
    }

    /** The id as 32 hex digits. */
    String id() {
        return HexFormat.of().toHexDigits(idHi) + HexFormat.of().toHexDigits(idLo);
    }

    static long hi(String id) {
        return HexFormat.fromHexDigitsToLong(id, 0, 16);
    }

    static long lo(String id) {
        return HexFormat.fromHexDigitsToLong(id, 16, 32);
    }

    /** The message as a value (parsed again; it was written by our own writer, so it parses). */
    JsonValue message() {
        return ((JsonResult.Ok) JsonReader.parse(json, REPARSE)).value();
    }
}
