package org.clatter.rhizome;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.clatter.spi.crypto.Crypto;

/**
 * A Rhizome manifest, byte for byte as it was parsed or signed ({@code serval-wire.md} §9.1–§9.2):
 * {@code BODY ‖ 0x00 ‖ SIGBLOCKS}, where BODY is {@code label=value\n} lines.
 *
 * <p>Immutable. {@link #toBytes()} returns the exact bytes (store and forward those: the signature and the
 * sync key cover them); {@link #serialise()} rebuilds the bytes from the parsed fields, which is identical for
 * every manifest servald writes. Parsing checks the syntax and every known field
 * ({@code id, version, filesize, filehash, tail, crypt, BK, sender, recipient, date}); it does not check the
 * signature: call {@link #verify(Crypto)}.
 *
 * <pre>{@code
 * Manifest m = Manifest.parse(Files.readAllBytes(path));      // ManifestException on bad input
 * boolean ok = m.verify(crypto);                              // Ed25519 by the BID over SHA-512(body ‖ NUL)
 * Manifest n = Manifest.builder().set("service", "file").set("version", "1").set("filesize", "0")
 *         .sign(bundleSecret, crypto);
 * }</pre>
 */
public final class Manifest {
    /** Largest manifest servald accepts. */
    public static final int MAX_BYTES = 8192;
    /** Largest manifest that can travel over sync-keys (1 + 8 + manifest ≤ 1024). */
    public static final int MAX_SYNC_BYTES = 1015;
    public static final int MAX_FIELDS = 256;
    public static final int MAX_LABEL = 80;
    /** The only signature block type: {@code 0x17 ‖ sig64 ‖ pubkey32}. */
    public static final int SIGNATURE_TYPE = 0x17;
    public static final int SIGNATURE_BLOCK_BYTES = 97;

    /** One {@code label=value} line; the value is kept as raw bytes (names may be any UTF-8). */
    public record Field(String label, byte[] rawValue) {
        public Field {
            rawValue = rawValue.clone();
        }

        @Override
        public byte[] rawValue() {
            return rawValue.clone();
        }

        public String value() {
            return new String(rawValue, StandardCharsets.UTF_8);
        }
    }

    /** One signature block: an Ed25519 signature and the public key that made it. */
    public record Signature(byte[] signature, byte[] publicKey) {
        public Signature {
            signature = signature.clone();
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }
    }

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final byte[] bytes;
    private final int bodyLength;
    private final List<Field> fields;
    private final List<Signature> signatures;
    private final byte[] id;
    private final long version;
    private final long filesize;

    private Manifest(byte[] bytes, int bodyLength, List<Field> fields, List<Signature> signatures) {
        this.bytes = bytes;
        this.bodyLength = bodyLength;
        this.fields = List.copyOf(fields);
        this.signatures = List.copyOf(signatures);
        this.id = HexFormat.of().parseHex(get("id").orElseThrow());
        this.version = Long.parseUnsignedLong(get("version").orElseThrow());
        this.filesize = Long.parseUnsignedLong(get("filesize").orElseThrow());
    }

    /** Parses and validates a whole manifest. */
    public static Manifest parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    /**
     * Parses and validates {@code data[off, off+len)}.
     *
     * @throws ManifestException naming the first rule the bytes break; never any other exception for any input
     */
    public static Manifest parse(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new ManifestException("range " + off + "+" + len + " is outside the " + data.length + "-byte array");
        }
        if (len > MAX_BYTES) {
            throw new ManifestException("manifest is " + len + " bytes; at most " + MAX_BYTES + " are allowed");
        }
        byte[] b = Arrays.copyOfRange(data, off, off + len);
        int nul = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            throw new ManifestException("manifest body has no terminating NUL byte before the signature blocks");
        }
        List<Field> fields = parseBody(b, nul);
        List<Signature> sigs = parseSignatures(b, nul + 1);
        validate(fields);
        return new Manifest(b, nul, fields, sigs);
    }

    private static List<Field> parseBody(byte[] b, int end) {
        List<Field> fields = new ArrayList<>();
        int pos = 0;
        int line = 1;
        while (pos < end) {
            int nl = pos;
            while (nl < end && b[nl] != '\n') {
                nl++;
            }
            if (nl == end) {
                throw new ManifestException("line " + line + " does not end with a newline");
            }
            int valueEnd = nl;
            if (valueEnd > pos && b[valueEnd - 1] == '\r') {
                valueEnd--;
            }
            int eq = pos;
            while (eq < valueEnd && b[eq] != '=') {
                eq++;
            }
            if (eq == valueEnd) {
                throw new ManifestException("line " + line + " has no '=': expected label=value");
            }
            int labelLen = eq - pos;
            if (labelLen == 0 || labelLen > MAX_LABEL) {
                throw new ManifestException("line " + line + ": a label is 1 to " + MAX_LABEL + " bytes, got " + labelLen);
            }
            if (!isLetter(b[pos])) {
                throw new ManifestException("line " + line + ": a label starts with a letter");
            }
            for (int i = pos + 1; i < eq; i++) {
                if (!isLetter(b[i]) && !(b[i] >= '0' && b[i] <= '9')) {
                    throw new ManifestException("line " + line + ": a label holds only letters and digits");
                }
            }
            for (int i = eq + 1; i < valueEnd; i++) {
                if (b[i] == '\r') {
                    throw new ManifestException("line " + line + ": a value may not contain CR");
                }
            }
            String label = new String(b, pos, labelLen, StandardCharsets.US_ASCII);
            for (Field f : fields) {
                if (f.label().equalsIgnoreCase(label)) {
                    throw new ManifestException("duplicate field '" + label + "' (labels compare case-insensitively)");
                }
            }
            if (fields.size() == MAX_FIELDS) {
                throw new ManifestException("more than " + MAX_FIELDS + " fields");
            }
            fields.add(new Field(label, Arrays.copyOfRange(b, eq + 1, valueEnd)));
            pos = nl + 1;
            line++;
        }
        return fields;
    }

    private static List<Signature> parseSignatures(byte[] b, int start) {
        List<Signature> sigs = new ArrayList<>();
        int pos = start;
        while (pos < b.length) {
            int type = b[pos] & 0xFF;
            int len = type * 4 + 4;
            if (pos + 1 + len > b.length) {
                throw new ManifestException("signature block at byte " + pos + " (type 0x" + Integer.toHexString(type)
                        + ") needs " + len + " bytes, only " + (b.length - pos - 1) + " remain");
            }
            if (type != SIGNATURE_TYPE) {
                throw new ManifestException("unsupported signature block type 0x" + Integer.toHexString(type)
                        + " at byte " + pos + "; only 0x17 (Ed25519) exists");
            }
            sigs.add(new Signature(Arrays.copyOfRange(b, pos + 1, pos + 65), Arrays.copyOfRange(b, pos + 65, pos + 97)));
            pos += 1 + len;
        }
        return sigs;
    }

    private static boolean isLetter(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static void validate(List<Field> fields) {
        String id = null;
        String filesize = null;
        String filehash = null;
        boolean hasVersion = false;
        for (Field f : fields) {
            String v = f.value();
            switch (f.label().toLowerCase(Locale.ROOT)) {
                case "id" -> id = hex(f, v, 64);
                case "bk", "sender", "recipient" -> hex(f, v, 64);
                case "filehash" -> filehash = hex(f, v, 128);
                case "version" -> {
                    if (decimal(f, v) == 0) {
                        throw new ManifestException("field 'version' must not be 0");
                    }
                    hasVersion = true;
                }
                case "filesize" -> {
                    decimal(f, v);
                    filesize = v;
                }
                case "tail", "date" -> decimal(f, v);
                case "crypt" -> {
                    if (!v.equals("0") && !v.equals("1")) {
                        throw new ManifestException("field 'crypt' must be 0 or 1, got '" + v + "'");
                    }
                }
                default -> { }
            }
        }
        if (id == null) {
            throw new ManifestException("missing field 'id' (the bundle id, 64 hex digits)");
        }
        if (!hasVersion) {
            throw new ManifestException("missing field 'version'");
        }
        if (filesize == null) {
            throw new ManifestException("missing field 'filesize'");
        }
        boolean empty = Long.parseUnsignedLong(filesize) == 0;
        if (empty && filehash != null) {
            throw new ManifestException("field 'filehash' must be absent when filesize is 0");
        }
        if (!empty && filehash == null) {
            throw new ManifestException("missing field 'filehash' (filesize is " + filesize + ")");
        }
    }

    private static String hex(Field f, String v, int digits) {
        if (v.length() != digits) {
            throw new ManifestException("field '" + f.label() + "' must be " + digits + " hex digits, got " + v.length() + " characters");
        }
        for (int i = 0; i < digits; i++) {
            if (Character.digit(v.charAt(i), 16) < 0) {
                throw new ManifestException("field '" + f.label() + "' must be hex, found '" + v.charAt(i) + "'");
            }
        }
        return v;
    }

    private static long decimal(Field f, String v) {
        if (v.isEmpty() || v.length() > 20) {
            throw new ManifestException("field '" + f.label() + "' must be a decimal number of 1 to 20 digits");
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                throw new ManifestException("field '" + f.label() + "' must be decimal digits, got '" + v + "'");
            }
        }
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new ManifestException("field '" + f.label() + "' is larger than 2^64-1: '" + v + "'");
        }
    }

    /** The exact bytes: body, NUL, signature blocks. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Length of the whole manifest in bytes. */
    public int length() {
        return bytes.length;
    }

    /** The body including its terminating NUL: what is hashed and signed. */
    public byte[] signedPart() {
        return Arrays.copyOf(bytes, bodyLength + 1);
    }

    /** Rebuilds the bytes from the fields and signature blocks ({@code label=value\n} lines, NUL, blocks). */
    public byte[] serialise() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        writeBody(out, fields);
        for (Signature s : signatures) {
            out.write(SIGNATURE_TYPE);
            out.writeBytes(s.signature);
            out.writeBytes(s.publicKey);
        }
        return out.toByteArray();
    }

    private static void writeBody(ByteArrayOutputStream out, List<Field> fields) {
        for (Field f : fields) {
            out.writeBytes(f.label().getBytes(StandardCharsets.US_ASCII));
            out.write('=');
            out.writeBytes(f.rawValue);
            out.write('\n');
        }
        out.write(0);
    }

    public List<Field> fields() {
        return fields;
    }

    public List<Signature> signatures() {
        return signatures;
    }

    /** The value of a field (labels compare case-insensitively). */
    public Optional<String> get(String label) {
        for (Field f : fields) {
            if (f.label().equalsIgnoreCase(label)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** The bundle id (BID): a 32-byte Ed25519 public key. */
    public byte[] id() {
        return id.clone();
    }

    /** The BID in upper-case hex. */
    public String idHex() {
        return HEX.formatHex(id);
    }

    /** The version as an unsigned 64-bit value. */
    public long version() {
        return version;
    }

    /** Stored payload size (unsigned). */
    public long filesize() {
        return filesize;
    }

    /** SHA-512 of the stored payload, upper-case hex; empty when filesize is 0. */
    public Optional<String> filehash() {
        return get("filehash").map(s -> s.toUpperCase(Locale.ROOT));
    }

    /** The journal start offset; present only for journals. */
    public OptionalLong tail() {
        return optionalLong("tail");
    }

    public boolean isJournal() {
        return get("tail").isPresent();
    }

    public Optional<String> service() {
        return get("service");
    }

    public Optional<String> name() {
        return get("name");
    }

    /** Sender SID, upper-case hex. */
    public Optional<String> sender() {
        return get("sender").map(s -> s.toUpperCase(Locale.ROOT));
    }

    /** Recipient SID, upper-case hex. */
    public Optional<String> recipient() {
        return get("recipient").map(s -> s.toUpperCase(Locale.ROOT));
    }

    public OptionalLong date() {
        return optionalLong("date");
    }

    /** True when {@code crypt=1}: the payload is stored encrypted (§9.4). */
    public boolean encrypted() {
        return get("crypt").map("1"::equals).orElse(false);
    }

    /** The {@code BK} field, 32 bytes. */
    public Optional<byte[]> bk() {
        return get("BK").map(s -> HexFormat.of().parseHex(s));
    }

    private OptionalLong optionalLong(String label) {
        Optional<String> v = get(label);
        return v.isPresent() ? OptionalLong.of(Long.parseUnsignedLong(v.get())) : OptionalLong.empty();
    }

    /** SHA-512 of the body including its NUL: the manifest hash (what is signed; its first 8 bytes are the sync key). */
    public byte[] hash() {
        MessageDigest md = sha512();
        md.update(bytes, 0, bodyLength + 1);
        return md.digest();
    }

    /** The sync key: the first 8 bytes of {@link #hash()}. */
    public byte[] syncKey() {
        return Arrays.copyOf(hash(), 8);
    }

    /** The 32-byte Bundle Advertisement Record. */
    public Bar bar() {
        return Bar.of(this);
    }

    /** True when the first signature block is by the BID and verifies over {@link #hash()}. */
    public boolean verify(Crypto crypto) {
        if (signatures.isEmpty()) {
            return false;
        }
        Signature s = signatures.getFirst();
        if (!Arrays.equals(s.publicKey, id)) {
            return false;
        }
        byte[] h = hash();
        return crypto.ed25519Verify(s.publicKey, 0, h, 0, h.length, s.signature, 0);
    }

    static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-512", e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A new builder holding this manifest's fields, to make the next version. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (Field f : fields) {
            b.fields.add(f);
        }
        return b;
    }

    /** Collects fields in order and signs them into a manifest. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        private Builder() {
        }

        /** Sets a field, replacing one of the same label in place, or appending it. */
        public Builder set(String label, String value) {
            Field f = new Field(label, value.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).label().equalsIgnoreCase(label)) {
                    fields.set(i, f);
                    return this;
                }
            }
            fields.add(f);
            return this;
        }

        public Builder set(String label, long unsignedValue) {
            return set(label, Long.toUnsignedString(unsignedValue));
        }

        public Builder remove(String label) {
            fields.removeIf(f -> f.label().equalsIgnoreCase(label));
            return this;
        }

        /**
         * Signs with the bundle secret (a 32-byte Ed25519 seed). Sets {@code id} to its public key if absent.
         *
         * @throws ManifestException if the fields do not make a valid manifest, or {@code id} is not the secret's key
         */
        public Manifest sign(byte[] bundleSecret, Crypto crypto) {
            byte[] pub = new byte[32];
            crypto.ed25519PublicKey(bundleSecret, 0, pub, 0);
            boolean hasId = fields.stream().anyMatch(f -> f.label().equalsIgnoreCase("id"));
            if (!hasId) {
                set("id", HEX.formatHex(pub));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeBody(out, fields);
            byte[] body = out.toByteArray();
            MessageDigest md = sha512();
            byte[] h = md.digest(body);
            byte[] sig = new byte[64];
            crypto.ed25519Sign(bundleSecret, 0, pub, 0, h, 0, h.length, sig, 0);
            out.write(SIGNATURE_TYPE);
            out.writeBytes(sig);
            out.writeBytes(pub);
            Manifest m = parse(out.toByteArray());
            if (!Arrays.equals(m.id, pub)) {
                throw new ManifestException("field 'id' is not the public key of the bundle secret; remove it or use the right secret");
            }
            return m;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest m && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Manifest[" + idHex().substring(0, 16) + "… v" + Long.toUnsignedString(version) + ", "
                + service().orElse("?") + ", " + Long.toUnsignedString(filesize) + " B]";
    }
}
