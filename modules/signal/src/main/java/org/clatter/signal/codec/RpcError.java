package org.clatter.signal.codec;

/**
 * {@code dxos.error.Error}: 1 name, 2 message, 3 stack (4 context is skipped). {@code name} carries a DXOS error
 * code such as {@code RATE_LIMIT_EXCEEDED}, which the client maps back to a typed error.
 */
public record RpcError(String name, String message) {
    public static final String RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED";
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    public static final String UNKNOWN_METHOD = "UNKNOWN_METHOD";

    ProtoWriter writer() {
        return new ProtoWriter().string(1, name).string(2, message);
    }

    static RpcError decode(ProtoReader r) {
        String name = "";
        String message = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> message = r.string();
                default -> r.skip();
            }
        }
        return new RpcError(name, message);
    }
}
