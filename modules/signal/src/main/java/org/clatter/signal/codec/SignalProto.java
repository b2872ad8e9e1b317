package org.clatter.signal.codec;

import java.util.Optional;

/**
 * The {@code dxos.mesh.signal} messages (spec §1) and their codecs. Keys are raw bytes (32-byte public keys in
 * practice). {@code metadata} fields are skipped on decode and not written.
 */
public final class SignalProto {
    public static final String SERVICE = "dxos.mesh.signal.Signal";
    public static final String JOIN = SERVICE + ".Join";
    public static final String RECEIVE_MESSAGES = SERVICE + ".ReceiveMessages";
    public static final String SEND_MESSAGE = SERVICE + ".SendMessage";
    /** Clatter extension (spec §9.1): returns a nonce ({@code google.protobuf.BytesValue}) to sign. */
    public static final String AUTH_CHALLENGE = "clatter.signal.Auth.Challenge";
    /** Clatter extension: {@link Proof} of a peer key; answered with Empty or {@code UNAUTHORIZED}. */
    public static final String AUTH_PROVE = "clatter.signal.Auth.Prove";

    public static final String TYPE_JOIN_REQUEST = ".dxos.mesh.signal.JoinRequest";
    public static final String TYPE_RECEPTION_REQUEST = ".dxos.mesh.signal.ReceptionRequest";
    public static final String TYPE_MESSAGE_REQUEST = ".dxos.mesh.signal.Message";
    public static final String TYPE_SWARM_EVENT = "dxos.mesh.signal.SwarmEvent";
    public static final String TYPE_MESSAGE = "dxos.mesh.signal.Message";
    public static final String TYPE_BYTES = "google.protobuf.BytesValue";
    public static final String TYPE_PROOF = ".clatter.signal.Proof";

    private SignalProto() {
    }

    /** {@code google.protobuf.Timestamp}: 1 seconds, 2 nanos (always written, as the real encoder does). */
    public record Timestamp(long seconds, int nanos) {
        public static Timestamp ofEpochMillis(long millis) {
            return new Timestamp(Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000);
        }

        public long toEpochMillis() {
            return seconds * 1000L + nanos / 1_000_000;
        }

        ProtoWriter writer() {
            return new ProtoWriter(24).varint(1, seconds).int32(2, nanos);
        }

        static Timestamp decode(ProtoReader r) {
            long s = 0;
            int n = 0;
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> s = r.varint();
                    case 2 -> n = r.int32();
                    default -> r.skip();
                }
            }
            return new Timestamp(s, n);
        }
    }

    /** {@code JoinRequest}: 1 swarm, 2 peer. */
    public record JoinRequest(byte[] swarm, byte[] peer) {
        public byte[] encode() {
            return new ProtoWriter(72).bytes(1, swarm).bytes(2, peer).toByteArray();
        }

        public static JoinRequest decode(byte[] b) {
            ProtoReader r = new ProtoReader(b);
            byte[] swarm = new byte[0];
            byte[] peer = new byte[0];
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> swarm = r.bytes();
                    case 2 -> peer = r.bytes();
                    default -> r.skip();
                }
            }
            return new JoinRequest(swarm, peer);
        }
    }

    /** {@code ReceptionRequest}: 1 peer. */
    public record ReceptionRequest(byte[] peer) {
        public byte[] encode() {
            return new ProtoWriter(40).bytes(1, peer).toByteArray();
        }

        public static ReceptionRequest decode(byte[] b) {
            ProtoReader r = new ProtoReader(b);
            byte[] peer = new byte[0];
            while (r.next()) {
                if (r.field() == 1) {
                    peer = r.bytes();
                } else {
                    r.skip();
                }
            }
            return new ReceptionRequest(peer);
        }
    }

    /** {@code Message}: 1 author, 2 recipient, 3 payload (Any, opaque to the server). */
    public record Message(byte[] author, byte[] recipient, Any payload) {
        ProtoWriter writer() {
            ProtoWriter any = new ProtoWriter(payload.valueLength() + 48);
            payload.write(any);
            return new ProtoWriter(payload.valueLength() + 128).bytes(1, author).bytes(2, recipient).message(3, any);
        }

        public byte[] encode() {
            return writer().toByteArray();
        }

        public static Message decode(byte[] b) {
            return decode(new ProtoReader(b));
        }

        static Message decode(ProtoReader r) {
            byte[] author = new byte[0];
            byte[] recipient = new byte[0];
            Any payload = new Any("", new byte[0]);
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> author = r.bytes();
                    case 2 -> recipient = r.bytes();
                    case 3 -> payload = Any.decode(r.message());
                    default -> r.skip();
                }
            }
            return new Message(author, recipient, payload);
        }
    }

    /** {@code SwarmEvent}: {@code oneof event} 1 peer_available | 2 peer_left. */
    public sealed interface SwarmEvent {
        byte[] peer();

        default byte[] encode() {
            return writer().toByteArray();
        }

        ProtoWriter writer();

        static SwarmEvent decode(byte[] b) {
            return decode(new ProtoReader(b));
        }

        static SwarmEvent decode(ProtoReader r) {
            SwarmEvent e = null;
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> e = PeerAvailable.decode(r.message());
                    case 2 -> {
                        ProtoReader in = r.message();
                        byte[] peer = new byte[0];
                        while (in.next()) {
                            if (in.field() == 1) {
                                peer = in.bytes();
                            } else {
                                in.skip();
                            }
                        }
                        e = new PeerLeft(peer);
                    }
                    default -> r.skip();
                }
            }
            if (e == null) {
                throw new ProtoException("SwarmEvent has neither peer_available nor peer_left");
            }
            return e;
        }
    }

    /** {@code SwarmEvent.PeerAvailable}: 1 peer, 2 since, 3 until (optional), 4 announce_back_to_host (optional). */
    public record PeerAvailable(byte[] peer, Timestamp since, Optional<Timestamp> until,
                                Optional<byte[]> announceBackToHost) implements SwarmEvent {
        ProtoWriter body() {
            ProtoWriter w = new ProtoWriter(96).bytes(1, peer).message(2, since.writer());
            until.ifPresent(u -> w.message(3, u.writer()));
            announceBackToHost.ifPresent(h -> w.bytes(4, h));
            return w;
        }

        @Override
        public ProtoWriter writer() {
            return new ProtoWriter(112).message(1, body());
        }

        static PeerAvailable decode(ProtoReader r) {
            byte[] peer = new byte[0];
            Timestamp since = new Timestamp(0, 0);
            Optional<Timestamp> until = Optional.empty();
            Optional<byte[]> back = Optional.empty();
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> peer = r.bytes();
                    case 2 -> since = Timestamp.decode(r.message());
                    case 3 -> until = Optional.of(Timestamp.decode(r.message()));
                    case 4 -> back = Optional.of(r.bytes());
                    default -> r.skip();
                }
            }
            return new PeerAvailable(peer, since, until, back);
        }
    }

    /** {@code SwarmEvent.PeerLeft}: 1 peer. */
    public record PeerLeft(byte[] peer) implements SwarmEvent {
        @Override
        public ProtoWriter writer() {
            return new ProtoWriter(40).message(2, new ProtoWriter(40).bytes(1, peer));
        }
    }

    /** {@code HostEvent} (0.8.3 form): {@code oneof event} 1 announce_back {1 swarm, 2 peer_available}. */
    public record AnnounceBack(byte[] swarm, PeerAvailable peerAvailable) {
        public byte[] encode() {
            ProtoWriter in = new ProtoWriter(128).bytes(1, swarm).message(2, peerAvailable.body());
            return new ProtoWriter(140).message(1, in).toByteArray();
        }

        public static AnnounceBack decode(byte[] b) {
            ProtoReader r = new ProtoReader(b);
            AnnounceBack out = null;
            while (r.next()) {
                if (r.field() == 1) {
                    ProtoReader in = r.message();
                    byte[] swarm = new byte[0];
                    PeerAvailable pa = null;
                    while (in.next()) {
                        switch (in.field()) {
                            case 1 -> swarm = in.bytes();
                            case 2 -> pa = PeerAvailable.decode(in.message());
                            default -> in.skip();
                        }
                    }
                    if (pa == null) {
                        throw new ProtoException("HostEvent.announce_back without peer_available");
                    }
                    out = new AnnounceBack(swarm, pa);
                } else {
                    r.skip();
                }
            }
            if (out == null) {
                throw new ProtoException("HostEvent has no announce_back");
            }
            return out;
        }
    }

    /** {@code PeerEvent}: {@code oneof event} 1 message. */
    public static byte[] encodePeerEvent(Message m) {
        return new ProtoWriter(m.payload().valueLength() + 140).message(1, m.writer()).toByteArray();
    }

    public static Message decodePeerEvent(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        Message m = null;
        while (r.next()) {
            if (r.field() == 1) {
                m = Message.decode(r.message());
            } else {
                r.skip();
            }
        }
        if (m == null) {
            throw new ProtoException("PeerEvent has no message");
        }
        return m;
    }

    /** {@code google.protobuf.BytesValue}: 1 value. */
    public static byte[] encodeBytesValue(byte[] v) {
        return new ProtoWriter(v.length + 4).bytes(1, v).toByteArray();
    }

    public static byte[] decodeBytesValue(byte[] b) {
        ProtoReader r = new ProtoReader(b);
        byte[] v = new byte[0];
        while (r.next()) {
            if (r.field() == 1) {
                v = r.bytes();
            } else {
                r.skip();
            }
        }
        return v;
    }

    /** Clatter {@code Proof}: 1 peer (Ed25519 public key), 2 signature over the server's nonce. */
    public record Proof(byte[] peer, byte[] signature) {
        public byte[] encode() {
            return new ProtoWriter(112).bytes(1, peer).bytes(2, signature).toByteArray();
        }

        public static Proof decode(byte[] b) {
            ProtoReader r = new ProtoReader(b);
            byte[] peer = new byte[0];
            byte[] sig = new byte[0];
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> peer = r.bytes();
                    case 2 -> sig = r.bytes();
                    default -> r.skip();
                }
            }
            return new Proof(peer, sig);
        }
    }
}
