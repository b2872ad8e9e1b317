package org.clatter.signal.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RFC 6455 constants and frame encoding. */
public final class Ws {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_GOING_AWAY = 1001;
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    public static final int CLOSE_UNSUPPORTED = 1003;
    public static final int CLOSE_NO_STATUS = 1005;
    public static final int CLOSE_ABNORMAL = 1006;
    public static final int CLOSE_INVALID_DATA = 1007;
    public static final int CLOSE_POLICY = 1008;
    public static final int CLOSE_TOO_BIG = 1009;
    public static final int CLOSE_INTERNAL = 1011;

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Ws() {
    }

    /** {@code Sec-WebSocket-Accept} for a client's {@code Sec-WebSocket-Key}. */
    public static String accept(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    /** One unfragmented frame; masked with {@code maskKey} when it is non-zero-length (client to server). */
    public static byte[] frame(int opcode, byte[] payload, int offset, int length, byte[] maskKey) {
        int header = 2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8) + maskKey.length;
        byte[] f = new byte[header + length];
        f[0] = (byte) (0x80 | opcode);
        int p = 2;
        int maskBit = maskKey.length == 4 ? 0x80 : 0;
        if (length < 126) {
            f[1] = (byte) (maskBit | length);
        } else if (length <= 0xFFFF) {
            f[1] = (byte) (maskBit | 126);
            f[p++] = (byte) (length >>> 8);
            f[p++] = (byte) length;
        } else {
            f[1] = (byte) (maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f[p++] = (byte) ((long) length >>> (8 * i));
            }
        }
        System.arraycopy(maskKey, 0, f, p, maskKey.length);
        p += maskKey.length;
        for (int i = 0; i < length; i++) {
            byte b = payload[offset + i];
            f[p + i] = maskKey.length == 4 ? (byte) (b ^ maskKey[i & 3]) : b;
        }
        return f;
    }

    public static byte[] frame(int opcode, byte[] payload) {
        return frame(opcode, payload, 0, payload.length, new byte[0]);
    }

    /** A close frame's payload: the status code and a UTF-8 reason cut to fit a control frame. */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(r.length, 123);
        while (n > 0 && n < r.length && (r[n] & 0xC0) == 0x80) {
            n--;
        }
        byte[] p = new byte[2 + n];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, n);
        return p;
    }
}
