package org.clatter.mdp.keyring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.spi.crypto.Crypto;

/**
 * servald's binary keyring file ({@code serval.keyring}), read for import and written for tests and export.
 *
 * <p>Layout, as servald (commit 029adc17) reads it: 4096-byte pages. Page 0 holds a 2048-byte allocation bitmap
 * (bit {@code s & 7} of byte {@code s >> 3} set = page {@code s} holds an identity) followed by a 2048-byte random
 * keyring salt. An identity page is {@code salt(32) || mac(64) || rotation(u16be) || body(3998)}; everything from
 * byte 96 is XORed with XSalsa20 under key = SHA-512(salt || pin || salt || keyringPin)[0..32) and nonce =
 * SHA-512(keyringPin || keyringSalt || keyringPin || pin)[0..24). The body is a ring buffer read from offset
 * {@code rotation mod 3998}: a list of {@code type(u8)} entries, types 1..4 with fixed lengths (32, 96, 32, 96) and
 * later types with a {@code u16be} length, ended by type 0. The MAC is SHA-512(salt || for each CRYPTOBOX or
 * CRYPTOCOMBINED key: private || public || pin). A page that does not unpack or whose MAC differs belongs to
 * another PIN and is skipped.
 */
public final class ServalKeyringFile {
    static final int PAGE = 4096;
    static final int BAM_BYTES = 2048;
    static final int SALT = 32;
    static final int MAC = 64;
    static final int BODY_OFF = SALT + MAC + 2;
    static final int BODY = PAGE - BODY_OFF;
    static final int T_CRYPTOBOX = 1;
    static final int T_CRYPTOSIGN = 2;
    static final int T_RHIZOME = 3;
    static final int T_DID = 4;
    static final int T_COMBINED = 6;

    private ServalKeyringFile() {
    }

    /** The identities unlocked by an identity PIN ("" for none), with servald's default empty keyring PIN. */
    public static List<Identity> read(byte[] file, String pin, Crypto crypto) {
        return read(file, "", pin, crypto);
    }

    /**
     * The identities in the file unlocked by the PINs. Pages of other PINs, and old-style identities without a
     * CRYPTOCOMBINED key, are skipped.
     *
     * @param keyringPin servald's {@code --keyring-pin} (normally "")
     * @param pin        the identity PIN ("" for identities created without one)
     * @throws MdpException when the file is not a servald keyring at all
     */
    public static List<Identity> read(byte[] file, String keyringPin, String pin, Crypto crypto) {
        if (file.length < PAGE || file.length % PAGE != 0) {
            throw new MdpException("not a servald keyring file: its size " + file.length
                    + " is not a positive multiple of 4096 bytes");
        }
        byte[] keyringSalt = Arrays.copyOfRange(file, BAM_BYTES, PAGE);
        int pages = Math.min(file.length / PAGE, BAM_BYTES * 8);
        List<Identity> out = new ArrayList<>();
        byte[] page = new byte[PAGE];
        for (int slot = 1; slot < pages; slot++) {
            if ((file[slot >> 3] & (1 << (slot & 7))) == 0) {
                continue;
            }
            System.arraycopy(file, slot * PAGE, page, 0, PAGE);
            munge(page, keyringSalt, keyringPin, pin, crypto);
            Identity id = unpack(page, pin, crypto);
            if (id != null) {
                out.add(id);
            }
        }
        Arrays.fill(page, (byte) 0);
        return out;
    }

    /**
     * Writes a new keyring file holding the identities, all under one identity PIN. servald opens it with
     * {@code keyring list} (and {@code --entry-pin=PIN} when the PIN is not empty).
     */
    public static byte[] write(List<Identity> ids, String keyringPin, String pin, Crypto crypto) {
        if (ids.size() >= BAM_BYTES * 8 - 1) {
            throw new MdpException("a servald keyring file holds at most " + (BAM_BYTES * 8 - 2) + " identities");
        }
        byte[] file = new byte[PAGE * (ids.size() + 1)];
        crypto.randomBytes(file, BAM_BYTES, PAGE - BAM_BYTES);
        byte[] keyringSalt = Arrays.copyOfRange(file, BAM_BYTES, PAGE);
        for (int i = 0; i < ids.size(); i++) {
            int slot = i + 1;
            file[slot >> 3] |= (byte) (1 << (slot & 7));
            byte[] page = pack(ids.get(i), pin, crypto);
            munge(page, keyringSalt, keyringPin, pin, crypto);
            System.arraycopy(page, 0, file, slot * PAGE, PAGE);
        }
        return file;
    }

    private static void munge(byte[] page, byte[] keyringSalt, String keyringPin, String pin, Crypto crypto) {
        byte[] kp = keyringPin.getBytes(StandardCharsets.UTF_8);
        byte[] ip = pin.getBytes(StandardCharsets.UTF_8);
        byte[] work = new byte[2 * SALT + ip.length + kp.length];
        System.arraycopy(page, 0, work, 0, SALT);
        System.arraycopy(ip, 0, work, SALT, ip.length);
        System.arraycopy(page, 0, work, SALT + ip.length, SALT);
        System.arraycopy(kp, 0, work, 2 * SALT + ip.length, kp.length);
        byte[] hashKey = new byte[64];
        crypto.sha512(work, 0, work.length, hashKey, 0);
        work = new byte[2 * kp.length + keyringSalt.length + ip.length];
        System.arraycopy(kp, 0, work, 0, kp.length);
        System.arraycopy(keyringSalt, 0, work, kp.length, keyringSalt.length);
        System.arraycopy(kp, 0, work, kp.length + keyringSalt.length, kp.length);
        System.arraycopy(ip, 0, work, 2 * kp.length + keyringSalt.length, ip.length);
        byte[] hashNonce = new byte[64];
        crypto.sha512(work, 0, work.length, hashNonce, 0);
        // raw XSalsa20 (keystream from byte 0): HSalsa20 over the first 16 nonce bytes, then Salsa20
        byte[] subKey = new byte[32];
        crypto.hsalsa20(hashKey, 0, hashNonce, 0, subKey, 0);
        crypto.salsa20Xor(subKey, 0, hashNonce, 16, 0, page, SALT + MAC, PAGE - SALT - MAC, page, SALT + MAC);
        Arrays.fill(subKey, (byte) 0);
        Arrays.fill(hashKey, (byte) 0);
    }

    /** Reads the ring-buffer body; null when the page is not a valid identity under this PIN. */
    private static Identity unpack(byte[] page, String pin, Crypto crypto) {
        int rotation = ((page[SALT + MAC] & 0xff) << 8) | (page[SALT + MAC + 1] & 0xff);
        Ring r = new Ring(page, rotation % BODY);
        byte[] seed = null;
        byte[] boxOnly = null;
        byte[] rhizome = new byte[0];
        String did = "";
        String name = "";
        while (r.read < BODY) {
            int type = r.get();
            if (type == 0) {
                break;
            }
            int len = switch (type) {
                case T_CRYPTOBOX, T_RHIZOME -> 32;
                case T_CRYPTOSIGN, T_DID -> 96;
                default -> r.read + 2 <= BODY ? (r.get() << 8) | r.get() : Integer.MAX_VALUE;
            };
            if (len > BODY - r.read) {
                return null;
            }
            byte[] v = r.take(len);
            switch (type) {
                case T_COMBINED -> {
                    if (len != 32) {
                        return null;
                    }
                    seed = v;
                }
                case T_CRYPTOBOX -> boxOnly = v;
                case T_RHIZOME -> rhizome = v;
                case T_DID -> {
                    did = cString(v, 0, 32);
                    name = cString(v, 32, 64);
                    if (did == null || name == null) {
                        return null;
                    }
                }
                default -> {
                    // CRYPTOSIGN, PUBLIC_TAG and unknown types: nothing Clatter uses.
                }
            }
        }
        if (seed == null) {
            return null;
        }
        Identity id;
        try {
            id = Identity.fromSeed(crypto, seed, rhizome, did, name);
        } catch (MdpException e) {
            return null;
        }
        byte[] mac = mac(page, id, boxOnly, pin, crypto);
        return Arrays.equals(mac, 0, MAC, page, SALT, SALT + MAC) ? id : null;
    }

    private static byte[] mac(byte[] salt, Identity id, byte[] boxOnly, String pin, Crypto crypto) {
        byte[] ip = pin.getBytes(StandardCharsets.UTF_8);
        int boxLen = boxOnly == null ? 0 : 64;
        byte[] work = new byte[SALT + boxLen + 96 + 64 + ip.length];
        System.arraycopy(salt, 0, work, 0, SALT);
        int o = SALT;
        if (boxOnly != null) {
            System.arraycopy(boxOnly, 0, work, o, 32);
            crypto.x25519PublicKey(boxOnly, 0, work, o + 32);
            o += 64;
        }
        id.copySeed(work, o);
        id.copySigningId(work, o + 32);
        id.copyBoxSecret(work, o + 64);
        id.copySigningId(work, o + 96);
        id.sid().copyTo(work, o + 128);
        o += 160;
        System.arraycopy(ip, 0, work, o, ip.length);
        byte[] out = new byte[64];
        crypto.sha512(work, 0, work.length, out, 0);
        Arrays.fill(work, (byte) 0);
        return out;
    }

    private static byte[] pack(Identity id, String pin, Crypto crypto) {
        byte[] page = new byte[PAGE];
        crypto.randomBytes(page, 0, PAGE);
        byte[] mac = mac(page, id, null, pin, crypto);
        System.arraycopy(mac, 0, page, SALT, MAC);
        int rotation = (page[SALT + MAC] & 0xff) << 8 | (page[SALT + MAC + 1] & 0xff);
        byte[] body = new byte[BODY];
        int o = 0;
        body[o++] = T_COMBINED;
        body[o++] = 0;
        body[o++] = 32;
        id.copySeed(body, o);
        o += 32;
        if (id.rhizomeSecret().isPresent()) {
            body[o++] = T_RHIZOME;
            System.arraycopy(id.rhizomeSecret().get(), 0, body, o, 32);
            o += 32;
        }
        if (!id.did().isEmpty() || !id.name().isEmpty()) {
            body[o++] = T_DID;
            byte[] d = id.did().getBytes(StandardCharsets.UTF_8);
            byte[] n = id.name().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(d, 0, body, o, d.length);
            System.arraycopy(n, 0, body, o + 32, n.length);
            o += 96;
        }
        body[o++] = 0;
        // servald back-fills with random bytes so the plaintext is not mostly zeros.
        crypto.randomBytes(body, o, BODY - o);
        int start = rotation % BODY;
        for (int i = 0; i < BODY; i++) {
            page[BODY_OFF + (start + i) % BODY] = body[i];
        }
        return page;
    }

    private static String cString(byte[] v, int off, int max) {
        for (int i = 0; i < max; i++) {
            if (v[off + i] == 0) {
                return new String(v, off, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** A cursor over the rotated body. */
    private static final class Ring {
        final byte[] page;
        final int start;
        int read;

        Ring(byte[] page, int start) {
            this.page = page;
            this.start = start;
        }

        int get() {
            return page[BODY_OFF + (start + read++) % BODY] & 0xff;
        }

        byte[] take(int len) {
            byte[] v = new byte[len];
            for (int i = 0; i < len; i++) {
                v[i] = (byte) get();
            }
            return v;
        }
    }
}
