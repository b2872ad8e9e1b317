package org.clatter.signal.codec;

import java.util.Optional;

/**
 * {@code dxos.rpc.RpcMessage} (spec §2.1): exactly one of request, response, open, open_ack, stream_close, bye.
 * One message per binary WebSocket frame, no length prefix.
 */
public sealed interface RpcMessage {

    /** {@code Request}: 1 id, 2 method, 3 payload (Any), 4 stream. A missing id is 0. */
    record Request(int id, String method, Any payload, boolean stream) implements RpcMessage {
    }

    /** What a {@link Response} carries (its {@code oneof content}). */
    enum Kind { PAYLOAD, ERROR, CLOSE, STREAM_READY, NONE }

    /** {@code Response}: 1 id; then 2 payload | 3 error | 4 close | 5 stream_ready. */
    record Response(int id, Kind kind, Optional<Any> payload, Optional<RpcError> error) implements RpcMessage {
        public static Response payload(int id, Any payload) {
            return new Response(id, Kind.PAYLOAD, Optional.of(payload), Optional.empty());
        }

        public static Response error(int id, RpcError error) {
            return new Response(id, Kind.ERROR, Optional.empty(), Optional.of(error));
        }

        public static Response close(int id) {
            return new Response(id, Kind.CLOSE, Optional.empty(), Optional.empty());
        }

        public static Response streamReady(int id) {
            return new Response(id, Kind.STREAM_READY, Optional.empty(), Optional.empty());
        }
    }

    /** {@code open} (field 3); the signal client never sends it (noHandshake) but other dxRPC peers do. */
    record Open() implements RpcMessage {
    }

    /** {@code open_ack} (field 4). */
    record OpenAck() implements RpcMessage {
    }

    /** {@code stream_close} (field 5): the client cancels streaming call {@code id}. */
    record StreamClose(int id) implements RpcMessage {
    }

    /** {@code bye} (field 6). */
    record Bye() implements RpcMessage {
    }

    /** Encodes one {@code RpcMessage}. */
    static byte[] encode(RpcMessage m) {
        ProtoWriter w = new ProtoWriter();
        switch (m) {
            case Request q -> {
                ProtoWriter in = new ProtoWriter();
                in.int32(1, q.id()).string(2, q.method());
                ProtoWriter any = new ProtoWriter();
                q.payload().write(any);
                in.message(3, any);
                if (q.stream()) {
                    in.bool(4, true);
                }
                w.message(1, in);
            }
            case Response r -> {
                ProtoWriter in = new ProtoWriter();
                in.int32(1, r.id());
                switch (r.kind()) {
                    case PAYLOAD -> {
                        ProtoWriter any = new ProtoWriter();
                        r.payload().orElseThrow().write(any);
                        in.message(2, any);
                    }
                    case ERROR -> in.message(3, r.error().orElseThrow().writer());
                    case CLOSE -> in.bool(4, true);
                    case STREAM_READY -> in.bool(5, true);
                    case NONE -> {
                    }
                }
                w.message(2, in);
            }
            case Open o -> w.bool(3, true);
            case OpenAck o -> w.bool(4, true);
            case StreamClose c -> w.message(5, new ProtoWriter().int32(1, c.id()));
            case Bye b -> w.message(6, new ProtoWriter(16));
        }
        return w.toByteArray();
    }

    /** Decodes one {@code RpcMessage}; a message with none of the members is an error. */
    static RpcMessage decode(byte[] buf, int offset, int length) {
        ProtoReader r = new ProtoReader(buf, offset, length);
        RpcMessage result = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> result = decodeRequest(r.message());
                case 2 -> result = decodeResponse(r.message());
                case 3 -> {
                    r.bool();
                    result = new Open();
                }
                case 4 -> {
                    r.bool();
                    result = new OpenAck();
                }
                case 5 -> {
                    ProtoReader in = r.message();
                    int id = 0;
                    while (in.next()) {
                        if (in.field() == 1) {
                            id = in.int32();
                        } else {
                            in.skip();
                        }
                    }
                    result = new StreamClose(id);
                }
                case 6 -> {
                    ProtoReader in = r.message();
                    while (in.next()) {
                        in.skip();
                    }
                    result = new Bye();
                }
                default -> r.skip();
            }
        }
        if (result == null) {
            throw new ProtoException("RpcMessage has no content (none of request, response, open, open_ack, "
                    + "stream_close, bye)");
        }
        return result;
    }

    static RpcMessage decode(byte[] buf) {
        return decode(buf, 0, buf.length);
    }

    private static Request decodeRequest(ProtoReader r) {
        int id = 0;
        String method = "";
        Any payload = new Any("", new byte[0]);
        boolean stream = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.int32();
                case 2 -> method = r.string();
                case 3 -> payload = Any.decode(r.message());
                case 4 -> stream = r.bool();
                default -> r.skip();
            }
        }
        return new Request(id, method, payload, stream);
    }

    private static Response decodeResponse(ProtoReader r) {
        int id = 0;
        Response res = new Response(0, Kind.NONE, Optional.empty(), Optional.empty());
        while (r.next()) {
            switch (r.field()) {
                case 1 -> id = r.int32();
                case 2 -> res = Response.payload(0, Any.decode(r.message()));
                case 3 -> res = Response.error(0, RpcError.decode(r.message()));
                case 4 -> res = r.bool() ? Response.close(0) : res;
                case 5 -> res = r.bool() ? Response.streamReady(0) : res;
                default -> r.skip();
            }
        }
        return new Response(id, res.kind(), res.payload(), res.error());
    }
}
