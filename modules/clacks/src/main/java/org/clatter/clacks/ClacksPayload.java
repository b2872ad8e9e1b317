package org.clatter.clacks;

import java.util.Optional;
import org.clatter.clacks.json.JsonValue;

/**
 * One decoded request body (spec section 2): {@code message}, {@code type}, {@code sender}, the optional
 * {@code friend}, and Clatter's optional {@link Envelope}.
 */
public record ClacksPayload(JsonValue message, String type, PeerAddress sender, Optional<PeerAddress> friend,
                            Optional<Envelope> envelope) {

    /** {@code type} is exactly {@code "message"}; anything else is treated like an announce, as clacks-p2p does. */
    public boolean isMessage() {
        return "message".equals(type);
    }

    /** A copy carrying another message (for plugins that transform). */
    public ClacksPayload withMessage(JsonValue newMessage) {
        return new ClacksPayload(newMessage, type, sender, friend, envelope);
    }
}
