package org.clatter.signal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import org.clatter.signal.codec.RpcMessage.Request;
import org.clatter.signal.codec.RpcMessage.Response;
import org.clatter.signal.codec.SignalProto.JoinRequest;
import org.clatter.signal.codec.SignalProto.Message;
import org.clatter.signal.codec.SignalProto.PeerAvailable;
import org.clatter.signal.codec.SignalProto.SwarmEvent;
import org.clatter.signal.codec.SignalProto.Timestamp;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The hex vectors of spec dxos-signal.md §2.3, plus property-based round trips and garbage. */
public class CodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static final String JOIN_VECTOR = "0a89010800121c64786f732e6d6573682e7369676e616c2e5369676e616c2e4a6f696e1a650a1d"
            + "2e64786f732e6d6573682e7369676e616c2e4a6f696e5265717565737412440a20"
            + "11".repeat(32) + "1220" + "22".repeat(32) + "2001";
    /** The captured Join, for the socket tests. */
    public static final String JOIN_VECTOR_PUBLIC = JOIN_VECTOR;
    static final String PEER_AVAILABLE = "0a2c0a20" + "33".repeat(32) + "12080880e2cfaa061000";

    private static byte[] fill(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void decodesTheRealClientsJoin() {
        Request r = assertInstanceOf(Request.class, RpcMessage.decode(HEX.parseHex(JOIN_VECTOR)));
        assertEquals(0, r.id());
        assertEquals(SignalProto.JOIN, r.method());
        assertTrue(r.stream());
        assertEquals(SignalProto.TYPE_JOIN_REQUEST, r.payload().typeUrl());
        JoinRequest j = JoinRequest.decode(r.payload().value());
        assertArrayEquals(fill(0x11), j.swarm());
        assertArrayEquals(fill(0x22), j.peer());
        assertEquals(JOIN_VECTOR, HEX.formatHex(RpcMessage.encode(new Request(0, SignalProto.JOIN,
                new Any(SignalProto.TYPE_JOIN_REQUEST, new JoinRequest(fill(0x11), fill(0x22)).encode()), true))));
    }

    @Test
    void encodesTheServerVectors() {
        assertEquals("120408002801", HEX.formatHex(RpcMessage.encode(Response.streamReady(0))));
        PeerAvailable pa = new PeerAvailable(fill(0x33), new Timestamp(1_700_000_000L, 0), Optional.empty(),
                Optional.empty());
        assertEquals(PEER_AVAILABLE, HEX.formatHex(pa.encode()));
        assertEquals("12510800124d0a1b64786f732e6d6573682e7369676e616c2e537761726d4576656e74122e" + PEER_AVAILABLE,
                HEX.formatHex(RpcMessage.encode(Response.payload(0, new Any(SignalProto.TYPE_SWARM_EVENT,
                        pa.encode())))));
        assertEquals("121d080212190a15676f6f676c652e70726f746f6275662e456d7074791200",
                HEX.formatHex(RpcMessage.encode(Response.payload(2, Any.EMPTY))));
        assertEquals("2a020800", HEX.formatHex(RpcMessage.encode(new RpcMessage.StreamClose(0))));
        assertEquals("122408021a200a13524154455f4c494d49545f45584345454445441209736c6f7720646f776e",
                HEX.formatHex(RpcMessage.encode(Response.error(2, new RpcError("RATE_LIMIT_EXCEEDED",
                        "slow down")))));
        assertEquals(new RpcMessage.StreamClose(0), RpcMessage.decode(HEX.parseHex("2a020800")));
        SwarmEvent e = SwarmEvent.decode(HEX.parseHex(PEER_AVAILABLE));
        assertEquals(1_700_000_000_000L, ((PeerAvailable) e).since().toEpochMillis());
    }

    @Test
    void missingIdIsZeroAndUnknownFieldsAreSkipped() {
        byte[] withUnknown = new ProtoWriter().message(2, new ProtoWriter().varint(99, 7).bool(5, true)
                .bytes(42, new byte[] {1, 2})).toByteArray();
        Response r = assertInstanceOf(Response.class, RpcMessage.decode(withUnknown));
        assertEquals(0, r.id());
        assertEquals(RpcMessage.Kind.STREAM_READY, r.kind());
    }

    @Test
    void messagesRoundTrip() {
        Gen<byte[]> keys = SignalProtoHelpers.bytes(1, 40);
        qt().forAll(keys, keys, strings().basicLatinAlphabet().ofLengthBetween(0, 30), keys)
                .checkAssert((a, b, url, v) -> {
                    Message m = new Message(a, b, new Any(url, v));
                    Message back = SignalProto.decodePeerEvent(SignalProto.encodePeerEvent(m));
                    assertArrayEquals(a, back.author());
                    assertArrayEquals(b, back.recipient());
                    assertEquals(m.payload(), back.payload());
                    int id = v.length * 1000 - 7;
                    Request q = new Request(id, url, new Any(url, a), v.length % 2 == 0);
                    assertEquals(q, RpcMessage.decode(RpcMessage.encode(q)));
                });
    }

    @Test
    void arbitraryBytesOnlyEverFailWithProtoException() {
        qt().withExamples(3000).forAll(SignalProtoHelpers.bytes(0, 64))
                .checkAssert(SignalProtoHelpers::decodeEverything);
    }

    @Test
    void mutatedVectorsOnlyEverFailWithProtoException() {
        byte[] base = HEX.parseHex(JOIN_VECTOR);
        qt().withExamples(3000).forAll(integers().between(0, base.length - 1), integers().between(0, 255),
                        integers().between(0, base.length))
                .checkAssert((pos, val, cut) -> {
                    byte[] m = Arrays.copyOf(base, cut);
                    if (pos < cut) {
                        m[pos] = (byte) (int) val;
                    }
                    SignalProtoHelpers.decodeEverything(m);
                });
    }

    @Test
    void boundsAreStrict() {
        assertThrows(ProtoException.class, () -> RpcMessage.decode(HEX.parseHex("0aff")));
        assertThrows(ProtoException.class, () -> RpcMessage.decode(HEX.parseHex("0a05080012")));
        assertThrows(ProtoException.class, () -> RpcMessage.decode(HEX.parseHex("08ffffffffffffffffffff01")));
        assertThrows(ProtoException.class, () -> RpcMessage.decode(new byte[0]));
        try {
            RpcMessage.decode(HEX.parseHex("0a0b"));
            fail("truncated length accepted");
        } catch (ProtoException e) {
            assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
        }
    }
}
