package org.clatter.clacks.engine;

import java.util.Optional;
import org.clatter.clacks.ClacksPayload;
import org.clatter.clacks.Envelope;
import org.clatter.clacks.PeerAddress;
import org.clatter.clacks.json.JsonNumber;
import org.clatter.clacks.json.JsonObject;
import org.clatter.clacks.json.JsonString;
import org.clatter.clacks.json.JsonValue;
import org.clatter.clacks.json.JsonWriter;

/**
 * Decodes and encodes Clacks request bodies (spec section 2). Decoding validates what clacks-p2p takes on trust:
 * {@code sender} must be a valid address (number or string port), an invalid {@code friend} or envelope is
 * dropped and counted rather than failing the request.
 */
public final class PayloadCodec {

    private PayloadCodec() {
    }

    /** A decoded payload, with the parts that had to be dropped. */
    public record Decoded(ClacksPayload payload, boolean badFriend, boolean badEnvelope) {
    }

    /** Why a body is refused (answered 400). */
    public enum Refusal { NOT_AN_OBJECT, BAD_SENDER }

    /** Decoding outcome: exactly one of the two is present. */
    public record Result(Optional<Decoded> decoded, Optional<Refusal> refusal) {
    }

    public static Result decode(JsonValue body) {
        if (!(body instanceof JsonObject o)) {
            return new Result(Optional.empty(), Optional.of(Refusal.NOT_AN_OBJECT));
        }
        Optional<PeerAddress> sender = o.get("sender").flatMap(PayloadCodec::address);
        if (sender.isEmpty()) {
            return new Result(Optional.empty(), Optional.of(Refusal.BAD_SENDER));
        }
        JsonValue message = o.get("message").orElse(org.clatter.clacks.json.JsonNull.INSTANCE);
        String type = o.get("type").filter(JsonString.class::isInstance).map(v -> ((JsonString) v).value()).orElse("");
        Optional<JsonValue> friendRaw = o.get("friend").filter(JsonValue::truthy);
        Optional<PeerAddress> friend = friendRaw.flatMap(PayloadCodec::address);
        Optional<JsonValue> envRaw = o.get("clatter");
        Optional<Envelope> envelope = envRaw.flatMap(PayloadCodec::envelope);
        return new Result(Optional.of(new Decoded(new ClacksPayload(message, type, sender.get(), friend, envelope),
                friendRaw.isPresent() && friend.isEmpty(), envRaw.isPresent() && envelope.isEmpty())), Optional.empty());
    }

    /** {@code {hostname, port}} with a string hostname and a number or digit-string port. */
    public static Optional<PeerAddress> address(JsonValue v) {
        if (!(v instanceof JsonObject o)) {
            return Optional.empty();
        }
        if (!(o.get("hostname").orElse(null) instanceof JsonString host)) {
            return Optional.empty();
        }
        Optional<Integer> port = o.get("port").flatMap(PayloadCodec::port);
        return port.flatMap(p -> PeerAddress.tryOf(host.value(), p));
    }

    private static Optional<Integer> port(JsonValue v) {
        if (v instanceof JsonNumber n) {
            return n.intValueExact();
        }
        if (v instanceof JsonString s && !s.value().isEmpty() && s.value().length() <= 5
                && s.value().chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(Integer.parseInt(s.value()));
        }
        return Optional.empty();
    }

    private static Optional<Envelope> envelope(JsonValue v) {
        if (!(v instanceof JsonObject o)) {
            return Optional.empty();
        }
        Optional<String> id = hex(o.get("id"), 32);
        Optional<String> node = hex(o.get("node"), 32);
        Optional<Integer> ttl = o.get("ttl").filter(JsonNumber.class::isInstance)
                .flatMap(t -> ((JsonNumber) t).intValueExact()).filter(t -> t >= 0 && t <= 255);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> signer = hex(o.get("signer"), 64);
        Optional<String> sig = hex(o.get("sig"), 128);
        if (signer.isPresent() != sig.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new Envelope(id.orElse(""), ttl.orElse(0), node.get(), signer, sig));
    }

    private static Optional<String> hex(Optional<JsonValue> v, int len) {
        if (v.isPresent() && v.get() instanceof JsonString s && s.value().length() == len
                && s.value().chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return Optional.of(s.value());
        }
        return Optional.empty();
    }

    /**
     * A message body in clacks-p2p's key order ({@code message, type, sender, friend}) plus Clatter's envelope,
     * ASCII only so the byte length is right for Node (spec sections 1, 11).
     */
    public static byte[] encode(byte[] messageJson, String type, PeerAddress sender, Optional<PeerAddress> friend,
                                Optional<Envelope> envelope) {
        StringBuilder sb = new StringBuilder(messageJson.length + 160);
        sb.append("{\"message\":");
        for (byte b : messageJson) {
            sb.append((char) b);
        }
        sb.append(",\"type\":");
        JsonWriter.writeString(type, sb);
        sb.append(",\"sender\":");
        address(sender, sb);
        friend.ifPresent(f -> {
            sb.append(",\"friend\":");
            address(f, sb);
        });
        envelope.ifPresent(e -> {
            sb.append(",\"clatter\":{");
            if (!e.id().isEmpty()) {
                sb.append("\"id\":\"").append(e.id()).append("\",\"ttl\":").append(e.ttl()).append(',');
            }
            sb.append("\"node\":\"").append(e.node()).append('"');
            if (e.signer().isPresent() && e.signature().isPresent()) {
                sb.append(",\"signer\":\"").append(e.signer().get()).append("\",\"sig\":\"")
                        .append(e.signature().get()).append('"');
            }
            sb.append('}');
        });
        sb.append('}');
        return sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void address(PeerAddress a, StringBuilder sb) {
        sb.append("{\"hostname\":");
        JsonWriter.writeString(a.hostname(), sb);
        sb.append(",\"port\":").append(a.port()).append('}');
    }
}
