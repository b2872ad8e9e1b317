/**
 * A small, strict RFC 6455 WebSocket server side on plain sockets: the HTTP/1.1 upgrade
 * ({@link org.clatter.signal.ws.HttpUpgrade}), frame parsing with masking, fragmentation, control frames, UTF-8
 * checks and size caps ({@link org.clatter.signal.ws.WsFrameReader}), and a per-connection bounded writer
 * ({@link org.clatter.signal.ws.WsConnection}). One virtual thread reads each connection.
 */
package org.clatter.signal.ws;
