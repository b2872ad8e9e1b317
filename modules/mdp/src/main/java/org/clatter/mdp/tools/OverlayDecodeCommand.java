package org.clatter.mdp.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;
import org.clatter.mdp.codec.DecodeResult;
import org.clatter.mdp.keyring.KeyringDump;
import org.clatter.spi.crypto.Crypto;

/**
 * {@code clatter overlay decode FILE.pcap [--keyring-dump FILE ...] [--port N]}: one line per overlay frame (and per
 * frame-less tick packet), then counts by kind.
 *
 * <p>Exit status: 0 when everything decoded (and, with keys, every crypted frame opened and every signature
 * verified), 1 when something did not, 2 for a usage error.
 */
public final class OverlayDecodeCommand {
    public static final String USAGE = "usage: clatter overlay decode FILE.pcap [--keyring-dump FILE ...] [--port N]\n"
            + "  FILE.pcap        libpcap capture (Ethernet link type), '-' for standard input\n"
            + "  --keyring-dump   output of 'servald keyring dump --secret'; opens crypted frames, checks signatures\n"
            + "  --port           overlay UDP port (default 4110)";

    private OverlayDecodeCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String file = null;
        List<String> dumps = new ArrayList<>();
        int port = 4110;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--keyring-dump") || a.equals("--port")) && i + 1 >= args.length) {
                err.println(a + " needs a value\n" + USAGE);
                return 2;
            }
            switch (a) {
                case "--keyring-dump" -> dumps.add(args[++i]);
                case "--port" -> {
                    try {
                        port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        err.println("--port takes a number, got " + args[i] + "\n" + USAGE);
                        return 2;
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (a.startsWith("--") || file != null) {
                        err.println("unexpected argument " + a + "\n" + USAGE);
                        return 2;
                    }
                    file = a;
                }
            }
        }
        if (file == null) {
            err.println(USAGE);
            return 2;
        }
        try {
            byte[] bytes = file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(file));
            Crypto crypto = MdpCrypto.load();
            List<Identity> keys = new ArrayList<>();
            for (String d : dumps) {
                keys.addAll(KeyringDump.parse(Files.readString(Path.of(d), StandardCharsets.UTF_8), crypto));
            }
            return decode(bytes, port, crypto, keys, out);
        } catch (IOException e) {
            err.println("cannot read " + e.getMessage());
            return 2;
        } catch (MdpException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private static int decode(byte[] bytes, int port, Crypto crypto, List<Identity> keys, PrintStream out) {
        PcapReader pcap = PcapReader.of(bytes);
        OverlayInspector inspector = new OverlayInspector(crypto, keys);
        MemorySegment seg = pcap.segment();
        Map<String, Integer> packetKinds = new TreeMap<>();
        Map<FrameKind, Integer> frameKinds = new EnumMap<>(FrameKind.class);
        Map<String, Integer> mspPorts = new TreeMap<>();
        Map<String, Long> connections = new java.util.HashMap<>();
        int opened = 0;
        int crypted = 0;
        int verified = 0;
        int signed = 0;
        int problems = 0;
        int packets = 0;
        int frames = 0;
        while (pcap.next()) {
            if (!pcap.isUdp() || (pcap.srcPort() != port && pcap.dstPort() != port)) {
                continue;
            }
            packets++;
            PacketReport p = inspector.inspect(pcap.frameNumber(), seg, pcap.payloadOffset(), pcap.payloadLength());
            String pk = p.result() != DecodeResult.OK ? "malformed"
                    : "v" + p.version() + " " + (p.unicast() ? "unicast" : "broadcast");
            packetKinds.merge(pk, 1, Integer::sum);
            if (p.result() != DecodeResult.OK) {
                problems++;
                out.printf("%5d  malformed packet: %s%n", p.packetNumber(), DecodeResult.name(p.result()));
                continue;
            }
            if (p.frames().isEmpty()) {
                out.printf("%5d  %-13s tick  from %s%s%n", p.packetNumber(), pk, sid(p.sender()),
                        p.seq() >= 0 ? "  seq " + p.seq() : "");
            }
            for (FrameReport f : p.frames()) {
                frames++;
                frameKinds.merge(f.kind(), 1, Integer::sum);
                if (f.kind() == FrameKind.MSP) {
                    mspPorts.merge(Long.toString(servicePort(connections, f)), 1, Integer::sum);
                }
                if (f.security() == FrameReport.Security.CRYPTED) {
                    crypted++;
                    opened += f.opened() == FrameReport.Check.PASS ? 1 : 0;
                }
                if (f.security() == FrameReport.Security.SIGNED) {
                    signed++;
                    verified += f.verified() == FrameReport.Check.PASS ? 1 : 0;
                }
                boolean bad = f.result() != DecodeResult.OK || f.opened() == FrameReport.Check.FAIL
                        || f.verified() == FrameReport.Check.FAIL || (!keys.isEmpty()
                        && (f.opened() == FrameReport.Check.NO_KEY || f.verified() == FrameReport.Check.NO_KEY));
                problems += bad ? 1 : 0;
                out.println(line(pk, f));
            }
        }
        out.println();
        out.printf("packets %d: %s%n", packets, join(packetKinds));
        Map<String, Integer> byKind = new java.util.LinkedHashMap<>();
        frameKinds.forEach((k, v) -> byKind.put(k.label(), v));
        out.printf("frames %d: %s%n", frames, join(byKind));
        if (!mspPorts.isEmpty()) {
            out.printf("msp by port: %s%n", join(mspPorts));
        }
        if (keys.isEmpty()) {
            out.printf("crypted %d, signed %d (no keys given: pass --keyring-dump to open and verify them)%n",
                    crypted, signed);
        } else {
            out.printf("decrypted %d/%d, signatures valid %d/%d%n", opened, crypted, verified, signed);
        }
        var errors = inspector.counters().snapshot();
        errors.remove("packets");
        errors.remove("frames");
        out.printf("decode errors: %s%n", errors.isEmpty() ? "none" : errors);
        return problems == 0 ? 0 : 1;
    }

    /** The port the first frame of an MSP connection was sent to: the listener's. */
    private static long servicePort(Map<String, Long> connections, FrameReport f) {
        String a = f.source().map(Sid::toString).orElse("?") + ":" + f.srcPort();
        String b = f.destination().map(Sid::toString).orElse("?") + ":" + f.dstPort();
        String key = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
        return connections.computeIfAbsent(key, k -> f.dstPort());
    }

    private static String line(String packetKind, FrameReport f) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%5d  %-13s #%d %-19s %s -> %s", f.packetNumber(), packetKind, f.frameIndex(),
                f.kind().label(), sid(f.source()), f.destination().map(OverlayDecodeCommand::sidText).orElse("?")));
        if (f.dstPort() >= 0) {
            sb.append("  port ").append(f.srcPort()).append("->").append(f.dstPort());
        }
        sb.append("  ttl ").append(f.ttl());
        if (f.mdpSeq() >= 0) {
            sb.append(" seq ").append(f.mdpSeq());
        }
        sb.append("  ").append(flags(f.flags()));
        switch (f.security()) {
            case PLAIN -> sb.append("  plain");
            case SIGNED -> sb.append("  signed ").append(switch (f.verified()) {
                case PASS -> "valid";
                case FAIL -> "INVALID";
                case NO_KEY -> "unchecked (no key)";
                case NA -> "";
            });
            case CRYPTED -> sb.append("  crypted ").append(switch (f.opened()) {
                case PASS -> "decrypted";
                case FAIL -> "NOT DECRYPTED";
                case NO_KEY -> "(no key)";
                case NA -> "";
            });
        }
        if (f.result() != DecodeResult.OK) {
            sb.append("  error ").append(DecodeResult.name(f.result()));
        }
        return sb.toString();
    }

    private static String flags(int flags) {
        String[] names = {"SENDER_SAME", "BROADCAST", "ONE_HOP", "0x08", "CIPHERED", "SIGNED", "ACK_SOON", "LEGACY"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.isEmpty() ? "" : "|").append(names[i]);
            }
        }
        return sb.isEmpty() ? "-" : sb.toString();
    }

    private static String sid(Optional<Sid> s) {
        return s.map(OverlayDecodeCommand::sidText).orElse("?");
    }

    private static String sidText(Sid s) {
        return s.isBroadcast() ? "broadcast" : s.abbreviation(8);
    }

    private static String join(Map<String, Integer> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }
}
