package org.clatter.signal.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;

import org.clatter.signal.codec.SignalProtoHelpers;
import org.junit.jupiter.api.Test;

class WsFrameReaderTest {
    private static final byte[] MASK = {1, 2, 3, 4};

    @Test
    void acceptKeyIsTheRfcExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Ws.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void fragmentedMessagesWithInterleavedControlFramesReassemble() {
        qt().forAll(SignalProtoHelpers.bytes(0, 70_000), integers().between(1, 5)).checkAssert((data, parts) -> {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            int step = Math.max(1, data.length / parts);
            int off = 0;
            boolean first = true;
            do {
                int n = Math.min(step, data.length - off);
                boolean fin = off + n >= data.length;
                byte[] f = Ws.frame(first ? Ws.BINARY : Ws.CONTINUATION, data, off, n, MASK);
                if (!fin) {
                    f[0] &= 0x7F;
                }
                s.writeBytes(f);
                if (!fin) {
                    s.writeBytes(Ws.frame(Ws.PING, new byte[] {9}, 0, 1, MASK));
                }
                first = false;
                off += n;
            } while (off < data.length);
            WsFrameReader r = new WsFrameReader(new ByteArrayInputStream(s.toByteArray()), 1 << 20, true);
            try {
                WsFrameReader.Message m;
                do {
                    m = r.read();
                } while (m.opcode() == Ws.PING);
                assertEquals(Ws.BINARY, m.opcode());
                assertArrayEquals(data, m.data());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void arbitraryBytesEndInAProtocolErrorOrEof() {
        qt().withExamples(5000).forAll(SignalProtoHelpers.bytes(0, 300)).checkAssert(b -> {
            WsFrameReader r = new WsFrameReader(new ByteArrayInputStream(b), 4096, true);
            try {
                for (int i = 0; i < 1000; i++) {
                    r.read();
                }
            } catch (WsProtocolException e) {
                assertTrue(e.closeCode() >= 1002 && e.closeCode() <= 1009 && !e.getMessage().isEmpty());
            } catch (EOFException e) {
                // input ended
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void strictRules() {
        assertThrows(WsProtocolException.class, () -> read(Ws.frame(Ws.BINARY, new byte[3]), true));
        byte[] rsv = Ws.frame(Ws.BINARY, new byte[3], 0, 3, MASK);
        rsv[0] |= 0x40;
        assertThrows(WsProtocolException.class, () -> read(rsv, true));
        byte[] badUtf8 = Ws.frame(Ws.TEXT, new byte[] {(byte) 0xC3, 0x28}, 0, 2, MASK);
        assertEquals(Ws.CLOSE_INVALID_DATA, assertThrows(WsProtocolException.class, () -> read(badUtf8, true))
                .closeCode());
        byte[] badClose = Ws.frame(Ws.CLOSE, new byte[] {0x03, (byte) 0xED}, 0, 2, MASK);
        assertThrows(WsProtocolException.class, () -> read(badClose, true));
        byte[] cont = Ws.frame(Ws.CONTINUATION, new byte[1], 0, 1, MASK);
        assertThrows(WsProtocolException.class, () -> read(cont, true));
        assertEquals(Ws.CLOSE_TOO_BIG, assertThrows(WsProtocolException.class,
                () -> new WsFrameReader(new ByteArrayInputStream(Ws.frame(Ws.BINARY, new byte[200], 0, 200, MASK)),
                        100, true).read()).closeCode());
    }

    private static WsFrameReader.Message read(byte[] b, boolean masked) throws IOException {
        return new WsFrameReader(new ByteArrayInputStream(b), 4096, masked).read();
    }
}
