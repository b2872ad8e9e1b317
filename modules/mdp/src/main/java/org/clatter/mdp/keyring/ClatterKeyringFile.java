package org.clatter.mdp.keyring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.spi.crypto.Crypto;

/**
 * Clatter's keyring file: every identity of a node, sealed under an optional passphrase.
 *
 * <pre>
 *   magic "CLATKR01" (8) | kdf u8 (1 = PBKDF2-HMAC-SHA512) | iterations u32be | salt (16) | nonce (24)
 *   | box length u32be | crypto_secretbox(key, nonce, body) = MAC (16) || ciphertext
 *   body: count u16be, then per identity: seed (32) | has-rhizome u8 | [rhizome secret (32)]
 *         | DID length u8 | DID (UTF-8) | name length u8 | name (UTF-8)
 *   key = PBKDF2-HMAC-SHA512("clatter-keyring:" + passphrase, salt, iterations, 256 bits)
 * </pre>
 *
 * <p>An empty passphrase still goes through the KDF (as servald's empty PIN does): the file is then protected
 * only against casual reading. The MAC makes a wrong passphrase and a damaged file both fail cleanly.
 */
public final class ClatterKeyringFile {
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA512. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** Reading refuses more: a damaged or hostile file must not make the node spin for hours. */
    public static final int MAX_ITERATIONS = 10_000_000;
    private static final byte[] MAGIC = "CLATKR01".getBytes(StandardCharsets.US_ASCII);
    private static final int KDF_PBKDF2_SHA512 = 1;
    private static final int HEADER = 8 + 1 + 4 + 16 + 24 + 4;

    private ClatterKeyringFile() {
    }

    public static byte[] encode(Keyring keyring, char[] passphrase, Crypto crypto) {
        return encode(keyring, passphrase, DEFAULT_ITERATIONS, crypto);
    }

    public static byte[] encode(Keyring keyring, char[] passphrase, int iterations, Crypto crypto) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new MdpException("keyring KDF iterations must be 1.." + MAX_ITERATIONS + "; got " + iterations);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<Identity> ids = keyring.identities();
        body.write(ids.size() >> 8);
        body.write(ids.size());
        for (Identity id : ids) {
            body.writeBytes(id.seed());
            body.write(id.rhizomeSecret().isPresent() ? 1 : 0);
            id.rhizomeSecret().ifPresent(body::writeBytes);
            byte[] did = id.did().getBytes(StandardCharsets.UTF_8);
            byte[] name = id.name().getBytes(StandardCharsets.UTF_8);
            body.write(did.length);
            body.writeBytes(did);
            body.write(name.length);
            body.writeBytes(name);
        }
        byte[] plain = body.toByteArray();
        byte[] salt = new byte[16];
        byte[] nonce = new byte[24];
        crypto.randomBytes(salt, 0, 16);
        crypto.randomBytes(nonce, 0, 24);
        byte[] key = derive(passphrase, salt, iterations);
        ByteBuffer out = ByteBuffer.allocate(HEADER + plain.length + Crypto.BOX_MAC_BYTES);
        out.put(MAGIC).put((byte) KDF_PBKDF2_SHA512).putInt(iterations).put(salt).put(nonce)
                .putInt(plain.length + Crypto.BOX_MAC_BYTES);
        crypto.secretBox(key, 0, nonce, 0, plain, 0, plain.length, out.array(), HEADER);
        Arrays.fill(key, (byte) 0);
        Arrays.fill(plain, (byte) 0);
        return out.array();
    }

    /**
     * Opens a keyring file's bytes.
     *
     * @throws MdpException for a wrong passphrase or a damaged file (the message says which checks failed)
     */
    public static Keyring decode(byte[] file, char[] passphrase, Crypto crypto) {
        if (file.length < HEADER + Crypto.BOX_MAC_BYTES || !Arrays.equals(file, 0, 8, MAGIC, 0, 8)) {
            throw new MdpException("not a Clatter keyring file (no CLATKR01 header); to import servald keys use "
                    + "'clatter keyring import'");
        }
        ByteBuffer in = ByteBuffer.wrap(file);
        in.position(8);
        int kdf = in.get() & 0xff;
        if (kdf != KDF_PBKDF2_SHA512) {
            throw new MdpException("keyring file uses KDF " + kdf + ", which this Clatter version does not know");
        }
        int iterations = in.getInt();
        byte[] salt = new byte[16];
        byte[] nonce = new byte[24];
        in.get(salt).get(nonce);
        int boxLen = in.getInt();
        if (iterations < 1 || iterations > MAX_ITERATIONS || boxLen < Crypto.BOX_MAC_BYTES || boxLen != file.length - HEADER) {
            throw new MdpException("keyring file is truncated or damaged (box length " + boxLen + ", file "
                    + file.length + " bytes)");
        }
        byte[] key = derive(passphrase, salt, iterations);
        byte[] plain = new byte[boxLen - Crypto.BOX_MAC_BYTES];
        boolean ok = crypto.secretBoxOpen(key, 0, nonce, 0, file, HEADER, boxLen, plain, 0);
        Arrays.fill(key, (byte) 0);
        if (!ok) {
            throw new MdpException("cannot open the keyring: wrong passphrase, or the file is damaged");
        }
        try {
            return parseBody(plain, crypto);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static Keyring parseBody(byte[] plain, Crypto crypto) {
        ByteBuffer b = ByteBuffer.wrap(plain);
        try {
            int n = b.getShort() & 0xffff;
            List<Identity> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] seed = new byte[32];
                b.get(seed);
                byte[] rs = new byte[(b.get() & 1) == 1 ? 32 : 0];
                b.get(rs);
                byte[] did = new byte[b.get() & 0xff];
                b.get(did);
                byte[] name = new byte[b.get() & 0xff];
                b.get(name);
                ids.add(Identity.fromSeed(crypto, seed, rs, new String(did, StandardCharsets.UTF_8),
                        new String(name, StandardCharsets.UTF_8)));
            }
            return new Keyring(ids);
        } catch (java.nio.BufferUnderflowException e) {
            throw new MdpException("keyring file body is truncated", e);
        }
    }

    /** Writes atomically (a temporary file next to it, then a rename), owner-only where the file system allows. */
    public static void save(Path file, Keyring keyring, char[] passphrase, Crypto crypto) {
        byte[] bytes = encode(keyring, passphrase, crypto);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".keyring", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: keep the default permissions.
                }
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keyring file " + file + ": " + e.getMessage(), e);
        }
    }

    public static Keyring load(Path file, char[] passphrase, Crypto crypto) {
        try {
            return decode(Files.readAllBytes(file), passphrase, crypto);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keyring file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
        char[] prefix = "clatter-keyring:".toCharArray();
        char[] pw = Arrays.copyOf(prefix, prefix.length + passphrase.length);
        System.arraycopy(passphrase, 0, pw, prefix.length, passphrase.length);
        PBEKeySpec spec = new PBEKeySpec(pw, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new MdpException("PBKDF2WithHmacSHA512 is missing from this JDK: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
            Arrays.fill(pw, '\0');
        }
    }
}
