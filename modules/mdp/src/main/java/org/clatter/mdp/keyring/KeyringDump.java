package org.clatter.mdp.keyring;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.spi.crypto.Crypto;

/**
 * The text of {@code servald keyring dump --secret} (spec §1, conformance README "Keyring dump format"): one line
 * per key, {@code <index>: type=0x<TT>(<NAME>)  <fields>}. Reading checks that the dumped public keys match what
 * the seed derives, so a corrupted dump fails loudly instead of producing a node nobody can reach.
 */
public final class KeyringDump {
    private static final Pattern LINE = Pattern.compile("\\s*(\\d+):\\s*type=0x([0-9A-Fa-f]{2})(?:\\([^)]*\\))?\\s*(.*)");
    private static final Pattern FIELD = Pattern.compile("(pub|sec)=([0-9A-Fa-f]+)");
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private KeyringDump() {
    }

    /**
     * Parses a dump. Identities without a CRYPTOCOMBINED key (old CRYPTOBOX/CRYPTOSIGN pairs) cannot be used by
     * Clatter and are rejected with a message saying so.
     */
    public static List<Identity> parse(String text, Crypto crypto) {
        Map<Integer, Parts> byIndex = new TreeMap<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new MdpException("keyring dump line " + lineNo + " is not '<n>: type=0x<TT>(NAME) ...': " + line);
            }
            Parts p = byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new Parts());
            int type = Integer.parseInt(m.group(2), 16);
            String rest = m.group(3);
            switch (type) {
                case 0x06 -> {
                    byte[] pub = field(rest, "pub", 64, lineNo);
                    byte[] sec = field(rest, "sec", 96, lineNo);
                    p.seed = Arrays.copyOf(sec, 32);
                    p.pub = pub;
                }
                case 0x03 -> p.rhizome = field(rest, "sec", 32, lineNo);
                case 0x04 -> {
                    p.did = quoted(rest, "DID", lineNo);
                    p.name = quoted(rest, "Name", lineNo);
                }
                case 0x01, 0x02 -> throw new MdpException("keyring dump line " + lineNo
                        + " holds an old CRYPTOBOX/CRYPTOSIGN key; Clatter imports only CRYPTOCOMBINED identities "
                        + "(create a new identity with a current servald)");
                default -> {
                    // Unknown or tag types (0x05 PUBLIC_TAG) carry nothing Clatter uses.
                }
            }
        }
        List<Identity> out = new ArrayList<>();
        for (var e : byIndex.entrySet()) {
            Parts p = e.getValue();
            if (p.seed == null) {
                throw new MdpException("keyring dump identity " + e.getKey()
                        + " has no type=0x06(CRYPTOCOMBINED) line with secrets; dump it with 'servald keyring dump --secret'");
            }
            Identity id = Identity.fromSeed(crypto, p.seed, p.rhizome == null ? new byte[0] : p.rhizome,
                    p.did == null ? "" : p.did, p.name == null ? "" : p.name);
            byte[] signingId = id.signingId();
            if (!Arrays.equals(p.pub, 0, 32, signingId, 0, 32) || !id.sid().equalsBytes(p.pub, 32)) {
                throw new MdpException("keyring dump identity " + e.getKey()
                        + ": the public keys do not match the seed (the dump is corrupt)");
            }
            out.add(id);
        }
        return out;
    }

    /** Writes identities in the same format (with secrets), which {@code servald keyring load} reads back. */
    public static String format(List<Identity> ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            Identity id = ids.get(i);
            if (id.rhizomeSecret().isPresent()) {
                sb.append(i).append(": type=0x03(RHIZOME)  sec=").append(HEX.formatHex(id.rhizomeSecret().get()))
                        .append('\n');
            }
            if (!id.did().isEmpty() || !id.name().isEmpty()) {
                sb.append(i).append(": type=0x04(DID)  DID=").append(quote(id.did())).append(" Name=")
                        .append(quote(id.name())).append('\n');
            }
            byte[] pub = new byte[64];
            id.copySigningId(pub, 0);
            id.sid().copyTo(pub, 32);
            byte[] sec = new byte[96];
            id.copySeed(sec, 0);
            id.copySigningId(sec, 32);
            id.copyBoxSecret(sec, 64);
            sb.append(i).append(": type=0x06(CRYPTOCOMBINED)  pub=").append(HEX.formatHex(pub)).append(" sec=")
                    .append(HEX.formatHex(sec)).append('\n');
        }
        return sb.toString();
    }

    private static byte[] field(String rest, String name, int len, int lineNo) {
        Matcher m = FIELD.matcher(rest);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                String hex = m.group(2);
                if (hex.length() != 2 * len) {
                    throw new MdpException("keyring dump line " + lineNo + ": " + name + "= must be " + 2 * len
                            + " hex digits, got " + hex.length());
                }
                return HexFormat.of().parseHex(hex);
            }
        }
        throw new MdpException("keyring dump line " + lineNo + " lacks " + name
                + "=; dump with 'servald keyring dump --secret' so the secrets are included");
    }

    private static String quoted(String rest, String name, int lineNo) {
        int i = rest.indexOf(name + "=\"");
        if (i < 0) {
            throw new MdpException("keyring dump line " + lineNo + " lacks " + name + "=\"...\"");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = rest.getBytes(StandardCharsets.UTF_8);
        int p = rest.substring(0, i + name.length() + 2).getBytes(StandardCharsets.UTF_8).length;
        while (p < b.length && b[p] != '"') {
            if (b[p] == '\\' && p + 1 < b.length) {
                byte c = b[p + 1];
                if (c == 'x' && p + 3 < b.length) {
                    out.write(Integer.parseInt(new String(b, p + 2, 2, StandardCharsets.US_ASCII), 16));
                    p += 4;
                    continue;
                }
                out.write(switch (c) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case '0' -> 0;
                    default -> c;
                });
                p += 2;
            } else {
                out.write(b[p++]);
            }
        }
        if (p >= b.length) {
            throw new MdpException("keyring dump line " + lineNo + ": " + name + "= has no closing quote");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"', '\\' -> sb.append('\\').append(c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static final class Parts {
        byte[] seed;
        byte[] pub;
        byte[] rhizome;
        String did;
        String name;
    }
}
