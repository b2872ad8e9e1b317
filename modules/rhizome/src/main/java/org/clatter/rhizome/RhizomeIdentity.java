package org.clatter.rhizome;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clatter.spi.crypto.Crypto;

/**
 * The key material of one Serval identity that Rhizome needs ({@code serval-wire.md} §1): the Ed25519 seed, the
 * Signing ID, the SID (X25519 public), the box secret and the Rhizome Secret (for {@code BK}).
 *
 * @param seed          32-byte Ed25519 seed
 * @param signingId     32-byte Ed25519 public key
 * @param sid           32-byte X25519 public key
 * @param boxSecret     32-byte X25519 secret
 * @param rhizomeSecret 32-byte Rhizome Secret (may be empty if the identity has none)
 */
public record RhizomeIdentity(byte[] seed, byte[] signingId, byte[] sid, byte[] boxSecret, byte[] rhizomeSecret) {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final Pattern LINE = Pattern.compile("^\\s*(\\d+):\\s*type=0x([0-9A-Fa-f]{2})\\(\\w+\\)\\s*(.*)$");
    private static final Pattern SEC = Pattern.compile("sec=([0-9A-Fa-f]+)");

    public RhizomeIdentity {
        seed = seed.clone();
        signingId = signingId.clone();
        sid = sid.clone();
        boxSecret = boxSecret.clone();
        rhizomeSecret = rhizomeSecret.clone();
    }

    /** Derives a combined identity from a seed, as servald does (SID = X25519 of the clamped SHA-512(seed) half). */
    public static RhizomeIdentity fromSeed(byte[] seed, byte[] rhizomeSecret, Crypto crypto) {
        byte[] pub = new byte[32];
        crypto.ed25519PublicKey(seed, 0, pub, 0);
        byte[] box = new byte[32];
        crypto.ed25519SeedToX25519Secret(seed, 0, box, 0);
        byte[] sid = new byte[32];
        crypto.x25519PublicKey(box, 0, sid, 0);
        return new RhizomeIdentity(seed, pub, sid, box, rhizomeSecret);
    }

    /**
     * The Rhizome side of an MDP identity (a keyring entry): the same seed, so the same SID and Signing ID, and its
     * Rhizome Secret; an identity made without one gets one derived from its seed (the first 32 bytes of SHA-512
     * over {@code "clatter-rhizome-secret:"} and the seed), the same on every call, so it keeps owning its bundles.
     */
    public static RhizomeIdentity fromMdp(org.clatter.mdp.Identity id, Crypto crypto) {
        byte[] seed = id.seed();
        byte[] secret = id.rhizomeSecret().orElseGet(() -> {
            try {
                java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-512");
                d.update("clatter-rhizome-secret:".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                d.update(seed);
                return java.util.Arrays.copyOf(d.digest(), 32);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new RhizomeException("SHA-512 is missing from this JDK; use a full JDK or the runtime image", e);
            }
        });
        return fromSeed(seed, secret, crypto);
    }

    /** A new random identity with a random Rhizome Secret. */
    public static RhizomeIdentity generate(Crypto crypto) {
        byte[] seed = new byte[32];
        byte[] rs = new byte[32];
        crypto.randomBytes(seed, 0, 32);
        crypto.randomBytes(rs, 0, 32);
        return fromSeed(seed, rs, crypto);
    }

    public String sidHex() {
        return HEX.formatHex(sid);
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public byte[] signingId() {
        return signingId.clone();
    }

    @Override
    public byte[] sid() {
        return sid.clone();
    }

    @Override
    public byte[] boxSecret() {
        return boxSecret.clone();
    }

    @Override
    public byte[] rhizomeSecret() {
        return rhizomeSecret.clone();
    }

    /**
     * Reads the identities of a {@code servald keyring dump --secret} text (CRYPTOCOMBINED and RHIZOME lines;
     * other lines are skipped).
     *
     * @throws RhizomeException when a CRYPTOCOMBINED or RHIZOME line has a malformed {@code sec=} field
     */
    public static List<RhizomeIdentity> parseKeyringDump(String text) {
        List<byte[][]> ids = new ArrayList<>();
        for (String line : text.split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int index = Integer.parseInt(m.group(1));
            int type = Integer.parseInt(m.group(2), 16);
            while (ids.size() <= index) {
                ids.add(new byte[2][]);
            }
            Matcher s = SEC.matcher(m.group(3));
            if (type == 0x06 || type == 0x03) {
                if (!s.find()) {
                    throw new RhizomeException("keyring dump line has no sec= field: " + line);
                }
                byte[] sec = HexFormat.of().parseHex(s.group(1));
                if ((type == 0x06 && sec.length != 96) || (type == 0x03 && sec.length != 32)) {
                    throw new RhizomeException("keyring dump: sec= of type 0x" + m.group(2) + " has " + sec.length + " bytes: " + line);
                }
                ids.get(index)[type == 0x06 ? 0 : 1] = sec;
            }
        }
        List<RhizomeIdentity> out = new ArrayList<>();
        for (byte[][] id : ids) {
            if (id[0] == null) {
                continue;
            }
            byte[] sec = id[0];
            byte[] seed = java.util.Arrays.copyOfRange(sec, 0, 32);
            byte[] pub = java.util.Arrays.copyOfRange(sec, 32, 64);
            byte[] box = java.util.Arrays.copyOfRange(sec, 64, 96);
            out.add(new RhizomeIdentity(seed, pub, new byte[32], box, id[1] == null ? new byte[0] : id[1]));
        }
        return out;
    }

    /** This identity with its SID computed from the box secret (keyring dumps carry the SID only in {@code pub}). */
    public RhizomeIdentity withDerivedSid(Crypto crypto) {
        byte[] s = new byte[32];
        crypto.x25519PublicKey(boxSecret, 0, s, 0);
        return new RhizomeIdentity(seed, signingId, s, boxSecret, rhizomeSecret);
    }

    /** Looks up an identity by SID hex (either case). */
    public static Optional<RhizomeIdentity> bySid(List<RhizomeIdentity> ids, String sidHex) {
        return ids.stream().filter(i -> i.sidHex().equalsIgnoreCase(sidHex)).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RhizomeIdentity i && java.util.Arrays.equals(i.seed, seed)
                && java.util.Arrays.equals(i.rhizomeSecret, rhizomeSecret);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(seed);
    }

    @Override
    public String toString() {
        return "RhizomeIdentity[" + sidHex().substring(0, 16) + "…]";
    }
}
