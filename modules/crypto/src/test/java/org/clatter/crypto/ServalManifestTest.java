package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real Rhizome data signed and encrypted by servald ({@code shared/conformance/serval}; layout in
 * {@code shared/specs/serval-wire.md} §9.2–9.4): SHA-512 and Ed25519 verification of manifest signatures,
 * BK secret recovery, and the MeshMS payload decryption (X25519 + HSalsa20 + XSalsa20) against servald's own.
 */
class ServalManifestTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern RHIZOME_SECRET =
            Pattern.compile("^\\d+: type=0x03\\(RHIZOME\\)\\s+sec=([0-9A-F]{64})\\s*$");

    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());

    static byte[] read(String name) {
        Path file = ServalKeysTest.servalDir().resolve(name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return fail("cannot read " + file + " (part of shared/conformance/serval): " + e);
        }
    }

    static byte[] rhizomeSecret(String dumpName) {
        Path file = ServalKeysTest.servalDir().resolve(dumpName);
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                Matcher m = RHIZOME_SECRET.matcher(line);
                if (m.matches()) {
                    return HEX.parseHex(m.group(1));
                }
            }
        } catch (IOException e) {
            return fail("cannot read " + file + ": " + e);
        }
        return fail(file + " holds no RHIZOME line");
    }

    /** The value of the {@code key=} line of the manifest body. */
    static String field(byte[] manifest, String key) {
        String body = new String(manifest, 0, bodyLength(manifest), StandardCharsets.US_ASCII);
        for (String line : body.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
        return fail("manifest has no " + key + " field");
    }

    /** Length of the body including its terminating NUL. */
    static int bodyLength(byte[] manifest) {
        for (int i = 0; i < manifest.length; i++) {
            if (manifest[i] == 0) {
                return i + 1;
            }
        }
        return fail("manifest body has no terminating NUL");
    }

    @ParameterizedTest
    @CsvSource({"hello.manifest, 3215472bf4e9926d", "big.manifest, b4f6d56670844a5d", "meshms.rhm, 65f15b4dd259f293"})
    void manifestSignaturesVerifyAndTheSyncKeyIsTheHashPrefix(String name, String syncKey) {
        byte[] m = read(name);
        int body = bodyLength(m);
        assertEquals(0x17, m[body] & 0xff, "signature block type");
        byte[] sig = Arrays.copyOfRange(m, body + 1, body + 65);
        byte[] signer = Arrays.copyOfRange(m, body + 65, body + 97);
        assertArrayEquals(HEX.parseHex(field(m, "id")), signer, "self-signed: signer = id");

        byte[] hash = new byte[64];
        crypto.sha512(m, 0, body, hash, 0);
        assertEquals(syncKey, HEX.formatHex(hash, 0, 8), "README: sync key = first 8 bytes of the manifest hash");
        assertTrue(crypto.ed25519Verify(signer, 0, hash, 0, 64, sig, 0));

        m[body / 2] ^= 1;
        crypto.sha512(m, 0, body, hash, 0);
        assertFalse(crypto.ed25519Verify(signer, 0, hash, 0, 64, sig, 0), "a changed manifest does not verify");
    }

    @ParameterizedTest
    @CsvSource({"hello.manifest, keyring_A.dump", "big.manifest, keyring_B.dump", "meshms.rhm, keyring_A.dump"})
    void bkRecoversTheBundleSecret(String name, String authorDump) {
        byte[] m = read(name);
        byte[] bid = HEX.parseHex(field(m, "id"));
        byte[] bk = HEX.parseHex(field(m, "BK"));
        byte[] rs = rhizomeSecret(authorDump);
        byte[] in = new byte[64];
        System.arraycopy(rs, 0, in, 0, 32);
        System.arraycopy(bid, 0, in, 32, 32);
        byte[] hash = new byte[64];
        crypto.sha512(in, 0, 64, hash, 0);
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (bk[i] ^ hash[i]);
        }
        byte[] pub = new byte[32];
        crypto.ed25519PublicKey(seed, 0, pub, 0);
        assertArrayEquals(bid, pub, "BK xor SHA-512(RS || BID) is the seed of BID");
    }

    @Test
    void meshmsPayloadDecryptsLikeServald() {
        byte[] m = read("meshms.rhm");
        byte[] raw = read("meshms_raw.bin");
        byte[] expected = read("meshms_decrypted.bin");
        byte[] bid = HEX.parseHex(field(m, "id"));
        ServalKeysTest.Identity alice = ServalKeysTest.load("keyring_A.dump");
        ServalKeysTest.Identity bob = ServalKeysTest.load("keyring_B.dump");
        assertArrayEquals(alice.sid(), HEX.parseHex(field(m, "sender")));
        assertArrayEquals(bob.sid(), HEX.parseHex(field(m, "recipient")));

        // The recipient's view: X = crypto_box_beforenm(sender, my box secret); the sender's gives the same X.
        byte[] x = new byte[32];
        assertTrue(crypto.boxBeforeNm(alice.sid(), 0, bob.boxSecret(), 0, x, 0));
        byte[] xSender = new byte[32];
        assertTrue(crypto.boxBeforeNm(bob.sid(), 0, alice.boxSecret(), 0, xSender, 0));
        assertArrayEquals(x, xSender);
        byte[] key = new byte[64];
        crypto.sha512(x, 0, 32, key, 0);

        // A journal: V = 0, so the nonce is SHA-512(u64le(0) || BID || u64le(0)), first 24 bytes.
        byte[] nonceIn = new byte[48];
        System.arraycopy(bid, 0, nonceIn, 8, 32);
        byte[] nonce = new byte[64];
        crypto.sha512(nonceIn, 0, 48, nonce, 0);

        // XSalsa20 from block 0, no MAC: the same HSalsa20 + Salsa20 composition secretBox uses.
        byte[] subKey = new byte[32];
        HSalsa20.hsalsa20(key, 0, nonce, 0, subKey, 0);
        byte[] plain = new byte[raw.length];
        crypto.salsa20Xor(subKey, 0, nonce, 16, 0, raw, 0, raw.length, plain, 0);
        assertArrayEquals(expected, plain);
    }
}
