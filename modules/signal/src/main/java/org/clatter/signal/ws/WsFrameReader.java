package org.clatter.signal.ws;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads RFC 6455 frames and assembles messages, strictly: client frames must be masked (server side), RSV bits
 * must be zero, opcodes must be known, control frames must be final and at most 125 bytes, continuation frames
 * must continue something, text must be UTF-8, a close payload must be empty or carry a valid code, and no
 * message may exceed {@code maxMessage}. Violations throw {@link WsProtocolException} with the close code.
 */
public final class WsFrameReader {

    /** One message: TEXT or BINARY (assembled), or a control frame (PING, PONG, CLOSE). */
    public record Message(int opcode, byte[] data) {
        /** For CLOSE: the status code, or 1005 when the payload is empty. */
        public int closeCode() {
            return data.length >= 2 ? ((data[0] & 0xFF) << 8) | (data[1] & 0xFF) : Ws.CLOSE_NO_STATUS;
        }
    }

    private final InputStream in;
    private final int maxMessage;
    private final boolean expectMasked;
    private final byte[] header = new byte[14];
    private byte[] partial;
    private int partialLength;
    private int partialOpcode = -1;

    public WsFrameReader(InputStream in, int maxMessage, boolean expectMasked) {
        this.in = in;
        this.maxMessage = maxMessage;
        this.expectMasked = expectMasked;
    }

    /** Blocks for the next message. EOFException when the stream ends between frames or inside one. */
    public Message read() throws IOException {
        while (true) {
            readFully(header, 0, 2);
            int b0 = header[0] & 0xFF;
            int b1 = header[1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            if ((b0 & 0x70) != 0) {
                throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension");
            }
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            if (masked != expectMasked) {
                throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR,
                        expectMasked ? "client frames must be masked" : "server frames must not be masked");
            }
            long len = b1 & 0x7F;
            if (len == 126) {
                readFully(header, 2, 2);
                len = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
                if (len < 126) {
                    throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "length not in its shortest form");
                }
            } else if (len == 127) {
                readFully(header, 2, 8);
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | (header[2 + i] & 0xFF);
                }
                if (len < 0) {
                    throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "64-bit length with the top bit set");
                }
                if (len <= 0xFFFF) {
                    throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "length not in its shortest form");
                }
            }
            boolean control = (opcode & 0x8) != 0;
            if (control) {
                if (opcode != Ws.CLOSE && opcode != Ws.PING && opcode != Ws.PONG) {
                    throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "unknown control opcode " + opcode);
                }
                if (!fin) {
                    throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "fragmented control frame");
                }
                if (len > 125) {
                    throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "control frame longer than 125 bytes");
                }
            } else if (opcode != Ws.CONTINUATION && opcode != Ws.TEXT && opcode != Ws.BINARY) {
                throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "unknown data opcode " + opcode);
            } else if (opcode == Ws.CONTINUATION && partialOpcode < 0) {
                throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "continuation frame with nothing to continue");
            } else if (opcode != Ws.CONTINUATION && partialOpcode >= 0) {
                throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "new data frame inside a fragmented message");
            }
            int base = control ? 0 : (opcode == Ws.CONTINUATION ? partialLength : 0);
            if (!control && base + len > maxMessage) {
                throw new WsProtocolException(Ws.CLOSE_TOO_BIG, "message larger than " + maxMessage + " bytes");
            }
            byte[] mask = new byte[4];
            if (masked) {
                readFully(mask, 0, 4);
            }
            int n = (int) len;
            byte[] target;
            int at;
            if (control) {
                target = new byte[n];
                at = 0;
            } else {
                if (opcode != Ws.CONTINUATION) {
                    partial = new byte[Math.max(n, 64)];
                    partialLength = 0;
                    partialOpcode = opcode;
                }
                if (partial.length < partialLength + n) {
                    partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
                }
                target = partial;
                at = partialLength;
            }
            readFully(target, at, n);
            if (masked) {
                for (int i = 0; i < n; i++) {
                    target[at + i] ^= mask[i & 3];
                }
            }
            if (control) {
                if (opcode == Ws.CLOSE) {
                    checkClose(target);
                }
                return new Message(opcode, target);
            }
            partialLength += n;
            if (fin) {
                byte[] data = Arrays.copyOf(partial, partialLength);
                int op = partialOpcode;
                partial = null;
                partialOpcode = -1;
                partialLength = 0;
                if (op == Ws.TEXT) {
                    checkUtf8(data, 0, data.length);
                }
                return new Message(op, data);
            }
        }
    }

    private static void checkClose(byte[] p) {
        if (p.length == 1) {
            throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "close payload of one byte");
        }
        if (p.length >= 2) {
            int code = ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
            boolean valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
                    || (code >= 3000 && code <= 4999);
            if (!valid) {
                throw new WsProtocolException(Ws.CLOSE_PROTOCOL_ERROR, "invalid close code " + code);
            }
            checkUtf8(p, 2, p.length - 2);
        }
    }

    private static void checkUtf8(byte[] b, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len && ascii; i++) {
            ascii = b[i] >= 0;
        }
        if (ascii) {
            return;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len));
        } catch (CharacterCodingException e) {
            throw new WsProtocolException(Ws.CLOSE_INVALID_DATA, "text is not valid UTF-8");
        }
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int r = in.read(b, off, len);
            if (r < 0) {
                throw new EOFException("connection closed inside a frame");
            }
            off += r;
            len -= r;
        }
    }
}
