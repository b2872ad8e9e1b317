package org.clatter.rhizome.sync;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Sync-keys transfer messages inside one MSP message ({@code serval-rhizome-sync.md} §11): type byte, 8-byte
 * key, then per type a BAR, a rank, a rank and two varints, or the rest of the MSP message.
 */
public final class TransferCodec {
    public static final int SEND_BAR = 0x05;
    public static final int REQ_MANIFEST = 0x0A;
    public static final int SEND_MANIFEST = 0x09;
    public static final int REQ_PAYLOAD = 0x0E;
    public static final int SEND_PAYLOAD = 0x0D;
    /** servald's MSP message buffer. */
    public static final int MSP_MESSAGE = 1024;

    private TransferCodec() {
    }

    /** One transfer message. {@code data} is the BAR, manifest or payload chunk (empty for requests). */
    public record Message(int type, long key, int rank, long offset, long length, byte[] data) {
        public Message {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public static Message sendBar(long key, byte[] bar) {
            return new Message(SEND_BAR, key, 0, 0, 0, bar);
        }

        public static Message reqManifest(long key, int rank) {
            return new Message(REQ_MANIFEST, key, rank, 0, 0, new byte[0]);
        }

        public static Message sendManifest(long key, byte[] manifest) {
            return new Message(SEND_MANIFEST, key, 0, 0, 0, manifest);
        }

        public static Message reqPayload(long key, int rank, long offset, long length) {
            return new Message(REQ_PAYLOAD, key, rank, offset, length, new byte[0]);
        }

        public static Message sendPayload(long key, byte[] chunk) {
            return new Message(SEND_PAYLOAD, key, 0, 0, 0, chunk);
        }
    }

    /** Decoding result: the messages, and why decoding stopped early if it did (counted by the caller, never thrown). */
    public record Decoded(List<Message> messages, Optional<String> error) {
        public Decoded {
            messages = List.copyOf(messages);
        }
    }

    /** Encodes one transfer message. */
    public static byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(m.type());
        for (int i = 0; i < 8; i++) {
            out.write((int) (m.key() >>> (56 - 8 * i)));
        }
        switch (m.type()) {
            case SEND_BAR, SEND_MANIFEST, SEND_PAYLOAD -> out.writeBytes(m.data);
            case REQ_MANIFEST -> out.write(m.rank());
            case REQ_PAYLOAD -> {
                out.write(m.rank());
                varint(out, m.offset());
                varint(out, m.length());
            }
            default -> throw new IllegalArgumentException("unknown transfer message type 0x" + Integer.toHexString(m.type()));
        }
        return out.toByteArray();
    }

    static void varint(ByteArrayOutputStream out, long v) {
        if (v < 0 || v >= (1L << 31)) {
            throw new IllegalArgumentException("servald mis-decodes varints of 2^31 or more; got " + v);
        }
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Decodes the transfer messages of one MSP message. */
    public static Decoded decode(byte[] msg, int off, int len) {
        List<Message> out = new ArrayList<>();
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (end - pos < 9) {
                return new Decoded(out, Optional.of("truncated transfer message at byte " + (pos - off)));
            }
            int type = msg[pos] & 0xFF;
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (msg[pos + 1 + i] & 0xFF);
            }
            pos += 9;
            switch (type) {
                case SEND_BAR -> {
                    if (end - pos < 32) {
                        return new Decoded(out, Optional.of("truncated SEND_BAR"));
                    }
                    out.add(Message.sendBar(key, Arrays.copyOfRange(msg, pos, pos + 32)));
                    pos += 32;
                }
                case REQ_MANIFEST -> {
                    if (end - pos < 1) {
                        return new Decoded(out, Optional.of("truncated REQ_MANIFEST"));
                    }
                    out.add(Message.reqManifest(key, msg[pos++] & 0xFF));
                }
                case REQ_PAYLOAD -> {
                    if (end - pos < 1) {
                        return new Decoded(out, Optional.of("truncated REQ_PAYLOAD"));
                    }
                    int rank = msg[pos++] & 0xFF;
                    long[] vals = new long[2];
                    for (int k = 0; k < 2; k++) {
                        long v = 0;
                        int shift = 0;
                        boolean done = false;
                        while (pos < end && shift < 63) {
                            int b = msg[pos++] & 0xFF;
                            v |= (long) (b & 0x7F) << shift;
                            shift += 7;
                            if ((b & 0x80) == 0) {
                                done = true;
                                break;
                            }
                        }
                        if (!done) {
                            return new Decoded(out, Optional.of("truncated varint in REQ_PAYLOAD"));
                        }
                        vals[k] = v;
                    }
                    out.add(Message.reqPayload(key, rank, vals[0], vals[1]));
                }
                case SEND_MANIFEST -> {
                    out.add(Message.sendManifest(key, Arrays.copyOfRange(msg, pos, end)));
                    pos = end;
                }
                case SEND_PAYLOAD -> {
                    out.add(Message.sendPayload(key, Arrays.copyOfRange(msg, pos, end)));
                    pos = end;
                }
                default -> {
                    // servald logs and continues after the 9 bytes (§11); so do we, and report it
                    return new Decoded(out, Optional.of("unknown transfer message type 0x" + Integer.toHexString(type)));
                }
            }
        }
        return new Decoded(out, Optional.empty());
    }
}
