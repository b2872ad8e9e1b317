/**
 * Clatter signal: DXOS MESH signaling ({@code dxos.mesh.signal}, spec {@code shared/specs/dxos-signal.md}).
 *
 * <ul>
 *   <li>{@link org.clatter.signal.SignalServer}: the {@code Signal} service (Join, ReceiveMessages, SendMessage)
 *       over an RFC 6455 WebSocket at {@code /.well-known/dx/signal}, one dxRPC {@code RpcMessage} per binary
 *       frame, as the real client {@code @dxos/messaging} 0.8.3 speaks it; clustered over NATS when given a URL;</li>
 *   <li>{@link org.clatter.signal.SignalClient}: a Java client with the same semantics (reconnect and re-join);</li>
 *   <li>{@link org.clatter.signal.SignalCommand}: {@code clatter signal serve --port P [--bind ADDR] [--nats URL]};</li>
 *   <li>{@code org.clatter.signal.codec}: the hand-written protobuf codec for the few messages involved.</li>
 * </ul>
 *
 * Every runtime dependency is a JDK module or a Clatter module: the WebSocket server, the protobuf codec and the
 * NATS client are written here.
 */
module org.clatter.signal {
    requires transitive org.clatter.core;
    requires java.net.http;

    exports org.clatter.signal;
    exports org.clatter.signal.codec;
}
