package org.clatter.signal.codec;

/**
 * A protobuf payload that cannot be decoded: truncated, over a bound, a wrong wire type or an invalid varint.
 * The only exception the decoders throw; callers count it and answer with a clear error.
 */
public final class ProtoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtoException(String message) {
        super(message);
    }
}
