package org.clatter.mdp.tools;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.clatter.mdp.Identity;
import org.clatter.mdp.Sid;
import org.clatter.mdp.codec.AddressBook;
import org.clatter.mdp.codec.AddressCodes;
import org.clatter.mdp.codec.CodecCounters;
import org.clatter.mdp.codec.DecodeResult;
import org.clatter.mdp.codec.FrameFlyweight;
import org.clatter.mdp.codec.FrameSecurity;
import org.clatter.mdp.codec.LinkStateRecordFlyweight;
import org.clatter.mdp.codec.OverlayPacketFlyweight;
import org.clatter.mdp.codec.PortHeader;
import org.clatter.mdp.tools.FrameReport.Check;
import org.clatter.mdp.tools.FrameReport.Security;
import org.clatter.spi.crypto.Crypto;

/**
 * Decodes overlay packets completely for reports and conformance checks: header, frames, addresses (learning SIDs as
 * servald does), crypto with the given identities' keys, port headers, link-state records and please-explain lists.
 * It allocates (reports are objects); the node's receive path uses the flyweights directly. Never throws on bad
 * input: every problem becomes a result code in the report and a count in {@link #counters()}.
 */
public final class OverlayInspector {
    private final List<Identity> keys;
    private final AddressBook book;
    private final FrameSecurity security;
    private final CodecCounters counters = new CodecCounters();
    private final OverlayPacketFlyweight packet = new OverlayPacketFlyweight();
    private final FrameFlyweight frame = new FrameFlyweight();
    private final LinkStateRecordFlyweight record = new LinkStateRecordFlyweight();
    private final PortHeader ports = new PortHeader();
    private final byte[] plain = new byte[0x10000];

    /** @param keys identities whose secrets open crypted frames (e.g. from keyring dumps); may be empty */
    public OverlayInspector(Crypto crypto, List<Identity> keys) {
        this.keys = List.copyOf(keys);
        this.book = new AddressBook(crypto);
        this.security = new FrameSecurity(crypto);
        for (Identity id : keys) {
            book.add(id.sid());
            book.addSigningKey(id.sid(), id.signingId());
        }
    }

    public CodecCounters counters() {
        return counters;
    }

    public AddressBook addressBook() {
        return book;
    }

    /** Decodes one UDP payload. */
    public PacketReport inspect(int packetNumber, MemorySegment seg, long off, int len) {
        counters.packet();
        int r = packet.wrap(seg, off, len);
        if (r != DecodeResult.OK) {
            counters.count(r);
            return new PacketReport(packetNumber, r, -1, false, Optional.empty(), -1, List.of());
        }
        int sr = book.beginPacket(seg, packet.senderOffset());
        Optional<Sid> sender = sr == DecodeResult.OK ? Optional.of(book.resolved()) : Optional.empty();
        List<FrameReport> frames = new ArrayList<>();
        int index = 0;
        for (int fr = frame.first(packet); fr != DecodeResult.END; fr = frame.next()) {
            counters.frame();
            if (fr != DecodeResult.OK) {
                counters.count(fr);
                frames.add(malformed(packetNumber, index, fr));
                break;
            }
            frames.add(inspectFrame(packetNumber, index++, sender));
        }
        return new PacketReport(packetNumber, DecodeResult.OK, packet.version(), packet.unicast(), sender,
                packet.seq(), List.copyOf(frames));
    }

    private FrameReport malformed(int packetNumber, int index, int code) {
        return new FrameReport(packetNumber, index, FrameKind.MALFORMED, code, Optional.empty(), Optional.empty(), -1,
                -1, frame.flags(), 0, -1, Security.PLAIN, Check.NA, Check.NA, new byte[0]);
    }

    private FrameReport inspectFrame(int packetNumber, int index, Optional<Sid> sender) {
        MemorySegment seg = frame.segment();
        int result = DecodeResult.OK;
        Optional<Sid> source = sender;
        if (frame.sourceOffset() >= 0) {
            source = resolve(seg, frame.sourceOffset());
        }
        Optional<Sid> destination = Optional.of(Sid.BROADCAST);
        if (!frame.broadcast()) {
            destination = resolve(seg, frame.destinationOffset());
        }
        if (frame.nextHopOffset() >= 0) {
            resolve(seg, frame.nextHopOffset());
        }
        if (source.isEmpty() || destination.isEmpty()) {
            result = counters.count(DecodeResult.UNRESOLVED_ADDRESS);
        }
        long payload = frame.payloadOffset();
        int payloadLen = frame.payloadLength();
        if (frame.type() != FrameFlyweight.TYPE_DATA) {
            FrameKind kind = switch (frame.type()) {
                case FrameFlyweight.TYPE_PLEASE_EXPLAIN -> FrameKind.PLEASE_EXPLAIN;
                case FrameFlyweight.TYPE_SELFANNOUNCE_ACK -> FrameKind.SELFANNOUNCE_ACK;
                case FrameFlyweight.TYPE_RHIZOME_ADVERT -> FrameKind.RHIZOME_ADVERT;
                default -> FrameKind.DATA;
            };
            if (kind == FrameKind.PLEASE_EXPLAIN) {
                int pr = learnFromPleaseExplain(seg, payload, payload + payloadLen);
                if (pr != DecodeResult.OK && result == DecodeResult.OK) {
                    result = counters.count(pr);
                }
            }
            return report(packetNumber, index, kind, result, source, destination, -1, -1, Security.PLAIN, Check.NA,
                    Check.NA, copy(seg, payload, payloadLen));
        }
        boolean ciphered = frame.has(FrameFlyweight.F_CIPHERED);
        boolean signed = frame.has(FrameFlyweight.F_SIGNED);
        Security sec;
        Check opened = Check.NA;
        Check verified = Check.NA;
        MemorySegment body;
        int bodyLen;
        if (ciphered && !signed) {
            return report(packetNumber, index, FrameKind.MALFORMED, counters.count(DecodeResult.CIPHERED_UNSIGNED),
                    source, destination, -1, -1, Security.CRYPTED, Check.FAIL, Check.NA, new byte[0]);
        } else if (ciphered) {
            sec = Security.CRYPTED;
            Identity me = destination.flatMap(this::identity).orElse(null);
            if (me == null || source.isEmpty()) {
                return report(packetNumber, index, FrameKind.CRYPTED, result, source, destination, -1, -1, sec,
                        Check.NO_KEY, Check.NA, new byte[0]);
            }
            int or = security.open(seg, payload, payloadLen, source.get(), me.sid(), me.boxSecret(), plain, 0);
            if (or != DecodeResult.OK) {
                return report(packetNumber, index, FrameKind.CRYPTED, counters.count(or), source, destination, -1, -1,
                        sec, Check.FAIL, Check.NA, new byte[0]);
            }
            opened = Check.PASS;
            bodyLen = payloadLen - FrameSecurity.BOX_OVERHEAD;
            body = MemorySegment.ofArray(plain);
        } else if (signed) {
            sec = Security.SIGNED;
            if (payloadLen < FrameSecurity.SIGNATURE) {
                return report(packetNumber, index, FrameKind.MALFORMED, counters.count(DecodeResult.TRUNCATED), source,
                        destination, -1, -1, sec, Check.NA, Check.FAIL, new byte[0]);
            }
            Optional<byte[]> key = source.flatMap(book::signingKey);
            if (key.isEmpty()) {
                verified = Check.NO_KEY;
            } else {
                int vr = security.verify(seg, payload, payloadLen, key.get());
                verified = vr == DecodeResult.OK ? Check.PASS : Check.FAIL;
                if (vr != DecodeResult.OK) {
                    result = counters.count(vr);
                }
            }
            bodyLen = payloadLen - FrameSecurity.SIGNATURE;
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, payload, plain, 0, bodyLen);
            body = MemorySegment.ofArray(plain);
        } else {
            sec = Security.PLAIN;
            bodyLen = payloadLen;
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, payload, plain, 0, bodyLen);
            body = MemorySegment.ofArray(plain);
        }
        byte[] text = Arrays.copyOf(plain, bodyLen);
        int ph = ports.read(body, 0, bodyLen);
        if (ph != DecodeResult.OK) {
            return report(packetNumber, index, FrameKind.MALFORMED, counters.count(ph), source, destination, -1, -1,
                    sec, opened, verified, text);
        }
        long dst = ports.dst();
        long src = ports.src();
        FrameKind kind = classify(dst, src, sec);
        if (kind == FrameKind.LINK_STATE_BROADCAST || kind == FrameKind.LINK_STATE_UNICAST) {
            int lr = walkLinkState(body, ports.length(), bodyLen, source);
            if (lr != DecodeResult.OK && result == DecodeResult.OK) {
                result = counters.count(lr);
            }
        } else if (kind == FrameKind.KEYMAP && source.isPresent()) {
            learnFromKeymapReply(text, ports.length(), source.get());
        }
        return report(packetNumber, index, kind, result, source, destination, src, dst, sec, opened, verified, text);
    }

    private FrameKind classify(long dst, long src, Security sec) {
        if (dst == 2 || src == 2) {
            return frame.broadcast() ? FrameKind.LINK_STATE_BROADCAST : FrameKind.LINK_STATE_UNICAST;
        }
        long port = dst < 64 ? dst : src < 64 ? src : -1;
        if (port == 1) {
            return FrameKind.KEYMAP;
        } else if (port == 7) {
            return FrameKind.ECHO;
        } else if (port == 8) {
            return FrameKind.TRACE;
        } else if (port == 10) {
            return FrameKind.DNA_LOOKUP;
        } else if (port == 17) {
            return FrameKind.RHIZOME_SYNC_BAR;
        } else if (port == 18) {
            return frame.broadcast() ? FrameKind.SYNC_KEYS_TREE : FrameKind.MSP;
        }
        // Crypted unicast between application ports is MSP in practice (servald's own clients use it for streams).
        return sec == Security.CRYPTED && port < 0 ? FrameKind.MSP : FrameKind.DATA;
    }

    private int walkLinkState(MemorySegment body, long from, long end, Optional<Sid> source) {
        if (source.isEmpty()) {
            return DecodeResult.UNRESOLVED_ADDRESS;
        }
        book.beginContext(source.get());
        try {
            return walkRecords(body, from, end);
        } finally {
            book.endContext();
        }
    }

    private int walkRecords(MemorySegment body, long from, long end) {
        int worst = DecodeResult.OK;
        int r;
        for (r = record.first(body, from, end); r == DecodeResult.OK; r = record.next()) {
            if (!record.exact()) {
                worst = DecodeResult.BAD_RECORD;
            }
            if (book.resolve(body, record.receiverOffset()) != DecodeResult.OK) {
                worst = DecodeResult.UNRESOLVED_ADDRESS;
            }
            if (record.transmitterOffset() >= 0 && book.resolve(body, record.transmitterOffset()) != DecodeResult.OK) {
                worst = DecodeResult.UNRESOLVED_ADDRESS;
            }
        }
        return r == DecodeResult.END ? worst : r;
    }

    private int learnFromPleaseExplain(MemorySegment seg, long p, long end) {
        while (p < end) {
            int code = seg.get(ValueLayout.JAVA_BYTE, p) & 0xff;
            if (code == AddressCodes.P2P_YOU) {
                p++;
                continue;
            }
            int n = AddressCodes.measure(seg, p, end);
            if (n < 0 || code > AddressCodes.FULL && code != AddressCodes.SIGNKEY) {
                return DecodeResult.BAD_ADDRESS;
            }
            if (code == AddressCodes.FULL || code == AddressCodes.SIGNKEY) {
                book.resolve(seg, p);
            }
            p += n;
        }
        return DecodeResult.OK;
    }

    /** A keymap reply {@code 02 || signpk || sig(SID)} teaches the sender's Signing ID once the signature checks. */
    private void learnFromKeymapReply(byte[] text, int from, Sid source) {
        if (text.length - from == 97 && text[from] == 2) {
            byte[] key = Arrays.copyOfRange(text, from + 1, from + 33);
            if (keymapSignatureValid(text, from, source)) {
                book.addSigningKey(source, key);
            }
        }
    }

    /** Whether a keymap reply's signature over the raw SID verifies with the key it carries. */
    public boolean keymapSignatureValid(byte[] text, int from, Sid source) {
        return text.length - from == 97 && text[from] == 2
                && security.verifyRaw(text, from + 1, source.toBytes(), text, from + 33);
    }

    private Optional<Sid> resolve(MemorySegment seg, long off) {
        int r = book.resolve(seg, off);
        return r == DecodeResult.OK ? Optional.of(book.resolved()) : Optional.empty();
    }

    private Optional<Identity> identity(Sid sid) {
        for (Identity id : keys) {
            if (id.sid().equals(sid)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    private FrameReport report(int packetNumber, int index, FrameKind kind, int result, Optional<Sid> source,
                               Optional<Sid> destination, long src, long dst, Security sec, Check opened,
                               Check verified, byte[] text) {
        return new FrameReport(packetNumber, index, kind, result, source, destination, src, dst, frame.flags(),
                frame.ttl(), frame.mdpSeq(), sec, opened, verified, text);
    }

    private static byte[] copy(MemorySegment seg, long off, int len) {
        byte[] b = new byte[len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, b, 0, len);
        return b;
    }
}
