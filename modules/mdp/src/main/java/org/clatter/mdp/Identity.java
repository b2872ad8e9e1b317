package org.clatter.mdp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.clatter.spi.crypto.Crypto;

/**
 * One Serval identity of this node: a CRYPTOCOMBINED key (spec §1) with an optional Rhizome Secret, DID and name.
 *
 * <p>Everything derives from the 32-byte Ed25519 seed: the Signing ID is its Ed25519 public key, the box secret is
 * the clamped first half of SHA-512(seed), and the {@link Sid} is the X25519 public key of the box secret.
 * Accessors of secrets return copies.
 */
public final class Identity {
    /** servald's limits: DID at most 31 bytes, name at most 63 (the keyring stores them NUL-terminated). */
    public static final int DID_MAX_BYTES = 31;
    public static final int NAME_MAX_BYTES = 63;

    private final byte[] seed;
    private final byte[] signingId;
    private final byte[] boxSecret;
    private final Sid sid;
    private final byte[] rhizomeSecret;
    private final String did;
    private final String name;

    private Identity(byte[] seed, byte[] signingId, byte[] boxSecret, Sid sid, byte[] rhizomeSecret, String did,
                     String name) {
        this.seed = seed;
        this.signingId = signingId;
        this.boxSecret = boxSecret;
        this.sid = sid;
        this.rhizomeSecret = rhizomeSecret;
        this.did = did;
        this.name = name;
    }

    /**
     * Derives an identity from its seed.
     *
     * @param rhizomeSecret 32 bytes, or an empty array for none
     * @param did           a phone-number-like string, at most 31 UTF-8 bytes ("" for none)
     * @param name          a display name, at most 63 UTF-8 bytes ("" for none)
     */
    public static Identity fromSeed(Crypto crypto, byte[] seed, byte[] rhizomeSecret, String did, String name) {
        if (seed.length != Crypto.ED25519_SEED_BYTES) {
            throw new MdpException("an identity seed is 32 bytes; got " + seed.length);
        }
        if (rhizomeSecret.length != 0 && rhizomeSecret.length != 32) {
            throw new MdpException("a Rhizome Secret is 32 bytes; got " + rhizomeSecret.length);
        }
        checkText("DID", did, DID_MAX_BYTES);
        checkText("name", name, NAME_MAX_BYTES);
        byte[] s = seed.clone();
        byte[] pub = new byte[32];
        crypto.ed25519PublicKey(s, 0, pub, 0);
        byte[] box = new byte[32];
        crypto.ed25519SeedToX25519Secret(s, 0, box, 0);
        byte[] sidBytes = new byte[32];
        crypto.x25519PublicKey(box, 0, sidBytes, 0);
        return new Identity(s, pub, box, Sid.of(sidBytes), rhizomeSecret.clone(), did, name);
    }

    /** A new random identity with a random Rhizome Secret. */
    public static Identity generate(Crypto crypto, String did, String name) {
        byte[] seed = new byte[32];
        crypto.randomBytes(seed, 0, 32);
        byte[] rs = new byte[32];
        crypto.randomBytes(rs, 0, 32);
        return fromSeed(crypto, seed, rs, did, name);
    }

    private static void checkText(String what, String v, int max) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new MdpException("a " + what + " is at most " + max + " bytes; \"" + v + "\" has " + b.length);
        }
        if (v.indexOf('\0') >= 0 || v.indexOf('\n') >= 0) {
            throw new MdpException("a " + what + " may not contain NUL or newline characters");
        }
    }

    /** A copy with another DID and name. */
    public Identity withDidAndName(String newDid, String newName) {
        checkText("DID", newDid, DID_MAX_BYTES);
        checkText("name", newName, NAME_MAX_BYTES);
        return new Identity(seed, signingId, boxSecret, sid, rhizomeSecret, newDid, newName);
    }

    public Sid sid() {
        return sid;
    }

    /** The Ed25519 public key (Serval's "Signing ID"). */
    public byte[] signingId() {
        return signingId.clone();
    }

    public byte[] seed() {
        return seed.clone();
    }

    /** The X25519 secret whose public key is the SID. */
    public byte[] boxSecret() {
        return boxSecret.clone();
    }

    public Optional<byte[]> rhizomeSecret() {
        return rhizomeSecret.length == 0 ? Optional.empty() : Optional.of(rhizomeSecret.clone());
    }

    public String did() {
        return did;
    }

    public String name() {
        return name;
    }

    /** Copies the seed into {@code dst} at {@code off}, for signing without allocating. */
    public void copySeed(byte[] dst, int off) {
        System.arraycopy(seed, 0, dst, off, 32);
    }

    public void copySigningId(byte[] dst, int off) {
        System.arraycopy(signingId, 0, dst, off, 32);
    }

    public void copyBoxSecret(byte[] dst, int off) {
        System.arraycopy(boxSecret, 0, dst, off, 32);
    }

    /** Same keys, DID and name. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Identity i && Arrays.equals(i.seed, seed) && Arrays.equals(i.rhizomeSecret, rhizomeSecret)
                && i.did.equals(did) && i.name.equals(name);
    }

    @Override
    public int hashCode() {
        return sid.hashCode();
    }

    /** {@code SID:DID:NAME}, as {@code clatter keyring list} prints it; no secrets. */
    @Override
    public String toString() {
        return sid + ":" + did + ":" + name;
    }
}
