package org.clatter.signal.ws;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an HTTP/1.1 request head (at most {@code maxHead} bytes) and checks it is a valid RFC 6455 opening
 * handshake. The answer is either a key to accept or an HTTP status to refuse with.
 */
public final class HttpUpgrade {

    /** The parsed request head. Header names are lower-case; repeated headers are joined with ", ". */
    public record Request(String method, String path, String version, Map<String, String> headers) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** A refusal: status, reason phrase, extra header lines, body. */
    public record Refusal(int status, String reason, String extraHeaders, String body) {
        public byte[] toBytes() {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            return ("HTTP/1.1 " + status + " " + reason + "\r\n" + extraHeaders + "Content-Type: text/plain\r\n"
                    + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private HttpUpgrade() {
    }

    /** Reads the head byte by byte up to the empty line (the WebSocket data after it stays in the stream). */
    public static Request read(InputStream in, int maxHead) throws IOException {
        byte[] buf = new byte[Math.min(maxHead, 1024)];
        int n = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed during the HTTP request");
            }
            if (n == maxHead) {
                throw new IllegalArgumentException("HTTP request head longer than " + maxHead + " bytes");
            }
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(maxHead, buf.length * 2));
            }
            buf[n++] = (byte) c;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                break;
            }
        }
        String head = new String(buf, 0, n - 4, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n", -1);
        String[] rl = lines[0].split(" ", -1);
        if (rl.length != 3 || !rl[2].startsWith("HTTP/")) {
            throw new IllegalArgumentException("malformed request line");
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed header line " + i);
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new Request(rl[0], rl[1], rl[2], headers);
    }

    /** Checks a request for {@code path} is a valid WebSocket upgrade; the refusal when it is not. */
    public static Optional<Refusal> check(Request r, String path) {
        String p = r.path();
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (!p.equals(path)) {
            return Optional.of(new Refusal(404, "Not Found", "", "no WebSocket endpoint here; use " + path + "\n"));
        }
        if (!r.method().equals("GET") || !r.version().equals("HTTP/1.1")) {
            return Optional.of(new Refusal(400, "Bad Request", "", "WebSocket upgrade needs GET over HTTP/1.1\n"));
        }
        boolean upgrade = r.header("upgrade").map(v -> v.toLowerCase(Locale.ROOT).contains("websocket"))
                .orElse(false);
        boolean connection = r.header("connection").map(v -> v.toLowerCase(Locale.ROOT).contains("upgrade"))
                .orElse(false);
        if (!upgrade || !connection) {
            return Optional.of(new Refusal(426, "Upgrade Required", "Upgrade: websocket\r\n",
                    "this endpoint speaks WebSocket only\n"));
        }
        if (!r.header("sec-websocket-version").map("13"::equals).orElse(false)) {
            return Optional.of(new Refusal(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n",
                    "only WebSocket version 13 is supported\n"));
        }
        String key = r.header("sec-websocket-key").orElse("");
        try {
            if (Base64.getDecoder().decode(key).length != 16) {
                return Optional.of(new Refusal(400, "Bad Request", "", "Sec-WebSocket-Key must be 16 bytes\n"));
            }
        } catch (IllegalArgumentException e) {
            return Optional.of(new Refusal(400, "Bad Request", "", "Sec-WebSocket-Key is not base64\n"));
        }
        return Optional.empty();
    }

    /** The 101 answer for an accepted request. */
    public static byte[] accept(Request r) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + Ws.accept(r.header("sec-websocket-key").orElseThrow()) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
