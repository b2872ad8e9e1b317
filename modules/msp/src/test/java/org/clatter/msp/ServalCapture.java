package org.clatter.msp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.clatter.spi.crypto.Crypto;

/**
 * A minimal reader for the MSP frames of {@code shared/conformance/serval/serval-overlay.pcap}: libpcap records,
 * Ethernet/IPv4/UDP, the overlay packet header and frame headers (spec {@code serval-wire.md} §3, §4.1, §4.2),
 * crypto_box decryption with the dumped keys (§5), and the MDP port header. Test code only: the MDP module's pcap
 * reader and overlay codec had not landed when this was written; only the two captured identities are resolved.
 */
final class ServalCapture {
    /** One decrypted MSP packet: who sent it to whom, on which ports, when. */
    record MspFrame(double time, int from, int to, int srcPort, int dstPort, byte[] msp) {
    }

    /** Identity 0 = A (Alice), 1 = B (Bob). */
    final byte[][] sid = new byte[2][];
    final byte[][] signId = new byte[2][];
    final byte[][] boxSecret = new byte[2][];
    final byte[][] sharedKey = new byte[2][32];
    final List<MspFrame> frames = new ArrayList<>();
    int cipheredFrames;
    int undecryptable;

    static Optional<Path> sharedServal() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path c = p.resolve("shared/conformance/serval");
            if (Files.isRegularFile(c.resolve("serval-overlay.pcap"))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    ServalCapture(Path dir) throws IOException {
        readDump(dir.resolve("keyring_A.dump"), 0);
        readDump(dir.resolve("keyring_B.dump"), 1);
        // Through ServiceLoader (org.clatter.mdp uses CryptoProvider): since MSP requires MDP, the provider module is
        // resolved on the module path, where the patched test module does not read it directly.
        Crypto crypto = org.clatter.mdp.MdpCrypto.load();
        // sharedKey[i] = key for frames sent BY identity i (box between sender's SID and the other's secret,
        // equal to the one between the other's SID and the sender's secret).
        for (int i = 0; i < 2; i++) {
            if (!crypto.boxBeforeNm(sid[i], 0, boxSecret[1 - i], 0, sharedKey[i], 0)) {
                throw new IllegalStateException("bad key " + i);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("serval-overlay.pcap")))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.position(24);
        while (b.remaining() >= 16) {
            long sec = b.getInt() & 0xFFFFFFFFL;
            long usec = b.getInt() & 0xFFFFFFFFL;
            int incl = b.getInt();
            b.getInt();
            byte[] rec = new byte[incl];
            b.get(rec);
            udpPayload(rec).ifPresent(p -> overlay(sec + usec / 1e6, p, crypto));
        }
    }

    private void readDump(Path file, int i) throws IOException {
        String text = Files.readString(file);
        Matcher m = Pattern.compile("CRYPTOCOMBINED\\)\\s+pub=([0-9A-F]{128})\\s+sec=([0-9A-F]{192})").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no combined identity in " + file);
        }
        byte[] pub = HexFormat.of().parseHex(m.group(1));
        byte[] sec = HexFormat.of().parseHex(m.group(2));
        signId[i] = Arrays.copyOfRange(pub, 0, 32);
        sid[i] = Arrays.copyOfRange(pub, 32, 64);
        boxSecret[i] = Arrays.copyOfRange(sec, 64, 96);
    }

    private static Optional<byte[]> udpPayload(byte[] f) {
        if (f.length < 14 + 20 + 8 || (f[12] & 0xFF) != 0x08 || f[13] != 0 || (f[14] >> 4) != 4 || f[23] != 17) {
            return Optional.empty();
        }
        int ihl = (f[14] & 0x0F) * 4;
        int udp = 14 + ihl;
        int dport = (f[udp + 2] & 0xFF) << 8 | (f[udp + 3] & 0xFF);
        int sport = (f[udp] & 0xFF) << 8 | (f[udp + 1] & 0xFF);
        if (dport != 4110 && sport != 4110) {
            return Optional.empty();
        }
        int len = ((f[udp + 4] & 0xFF) << 8 | (f[udp + 5] & 0xFF)) - 8;
        return Optional.of(Arrays.copyOfRange(f, udp + 8, udp + 8 + len));
    }

    /** Overlay decoding context: the packet's sender and the "previous" address (identity index, -1 unknown). */
    private int sender;
    private int previous;
    private int pos;

    private int addr(byte[] p) {
        int code = p[pos++] & 0xFF;
        int who;
        if (code >= 1 && code <= 32) {
            who = match(p, pos, code, sid);
            pos += code;
        } else if (code == 0xFB) {
            who = match(p, pos, 32, signId);
            pos += 32;
        } else if (code == 0xFF) {
            who = sender;
        } else if (code == 0xFE) {
            who = previous;
        } else {
            throw new IllegalStateException("address code " + code);
        }
        previous = who;
        return who;
    }

    private static int match(byte[] p, int off, int len, byte[][] keys) {
        for (int i = 0; i < keys.length; i++) {
            if (Arrays.equals(p, off, off + len, keys[i], 0, len)) {
                return i;
            }
        }
        return -1;
    }

    private void overlay(double time, byte[] p, Crypto crypto) {
        pos = 0;
        int version = p[pos++];
        int encap = p[pos++];
        sender = -1;
        previous = -1;
        sender = addr(p);
        int flags = p[pos++];
        if ((flags & 2) != 0) {
            pos++;
        }
        if ((flags & 4) != 0) {
            pos++;
        }
        while (pos < p.length) {
            int ff = p[pos++] & 0xFF;
            int src = (ff & 0x01) != 0 ? sender : addr(p);
            boolean broadcast = (ff & 0x02) != 0;
            boolean oneHop = (ff & 0x04) != 0;
            int dst = -1;
            if (broadcast && !oneHop) {
                pos += 8;
            }
            if (!broadcast) {
                dst = addr(p);
                if (!oneHop) {
                    addr(p);
                }
            }
            if (!oneHop) {
                pos++;
            }
            boolean legacy = (ff & 0x80) != 0;
            if (legacy) {
                pos++;
            }
            if (version >= 1) {
                pos++;
            }
            int len;
            if (encap == 1) {
                len = (p[pos] & 0xFF) << 8 | (p[pos + 1] & 0xFF);
                pos += 2;
            } else {
                len = p.length - pos;
            }
            int start = pos;
            pos += len;
            if (legacy || (ff & 0x30) != 0x30 || src < 0 || dst < 0 || src == dst) {
                continue;
            }
            cipheredFrames++;
            byte[] plain = new byte[len - 40];
            if (!crypto.secretBoxOpen(sharedKey[src], 0, p, start, p, start + 24, len - 24, plain, 0)) {
                undecryptable++;
                continue;
            }
            int[] q = {0};
            long ph = varint(plain, q);
            int dstPort = (int) (ph >>> 1);
            int srcPort = (ph & 1) != 0 ? dstPort : (int) varint(plain, q);
            if (dstPort == 555 || srcPort == 555 || dstPort == 18 && srcPort == 18) {
                frames.add(new MspFrame(time, src, dst, srcPort, dstPort,
                        Arrays.copyOfRange(plain, q[0], plain.length)));
            }
        }
    }

    private static long varint(byte[] b, int[] q) {
        long v = 0;
        int shift = 0;
        while (true) {
            int x = b[q[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
            shift += 7;
        }
    }
}
