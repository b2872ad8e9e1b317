package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two real servald identities in {@code shared/conformance/serval} (README "Keyring dump format";
 * {@code shared/specs/serval-wire.md} §1): every derivation Serval does from a seed must reproduce the dump.
 */
class ServalKeysTest {
    private static final HexFormat HEX = HexFormat.of();
    /** From the README's identity table, independent of the dump files. */
    private static final String SID_A = "5D1628BCC46D80E579479CF70D3FF07834197CC7E6F8D156DEE24D9157F2C37C";
    private static final String SID_B = "57177BD2BC32057D226626722DD7AAA75519865D5BB7054071B4D8DA508BC61C";
    private static final Pattern COMBINED = Pattern.compile(
            "^(\\d+): type=0x06\\(CRYPTOCOMBINED\\)\\s+pub=([0-9A-F]{128})\\s+sec=([0-9A-F]{192})\\s*$");

    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());

    /** One CRYPTOCOMBINED identity: pub = SigningID || SID, sec = seed || SigningID || box secret. */
    record Identity(byte[] signingId, byte[] sid, byte[] seed, byte[] boxSecret) {
    }

    static Path servalDir() {
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("conformance").resolve("serval");
            if (Files.isRegularFile(candidate.resolve("keyring_A.dump"))) {
                return candidate;
            }
        }
        return fail("shared/conformance/serval/keyring_A.dump not found in any parent of " + start
                + "; the shared/ folder must sit next to the checkout (<checkout>/../shared)");
    }

    static Identity load(String dumpName) {
        Path file = servalDir().resolve(dumpName);
        if (!Files.isRegularFile(file)) {
            fail("Serval keyring dump " + file + " is missing; it belongs to shared/conformance/serval");
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                Matcher m = COMBINED.matcher(line);
                if (m.matches()) {
                    byte[] pub = HEX.parseHex(m.group(2));
                    byte[] sec = HEX.parseHex(m.group(3));
                    assertArrayEquals(Arrays.copyOfRange(pub, 0, 32), Arrays.copyOfRange(sec, 32, 64),
                            dumpName + ": sec bytes 32..63 repeat the Signing ID");
                    return new Identity(Arrays.copyOfRange(pub, 0, 32), Arrays.copyOfRange(pub, 32, 64),
                            Arrays.copyOfRange(sec, 0, 32), Arrays.copyOfRange(sec, 64, 96));
                }
            }
        } catch (IOException e) {
            return fail("cannot read " + file + ": " + e);
        }
        return fail(file + " holds no CRYPTOCOMBINED line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"keyring_A.dump", "keyring_B.dump"})
    void everyDerivationReproducesTheDump(String dumpName) {
        Identity id = load(dumpName);
        byte[] out = new byte[32];

        crypto.ed25519PublicKey(id.seed(), 0, out, 0);
        assertArrayEquals(id.signingId(), out, "seed -> Ed25519 public = Signing ID");

        assertTrue(crypto.ed25519PublicToX25519(id.signingId(), 0, out, 0));
        assertArrayEquals(id.sid(), out, "Signing ID -> Montgomery = SID");

        crypto.ed25519SeedToX25519Secret(id.seed(), 0, out, 0);
        assertArrayEquals(id.boxSecret(), out, "seed -> clamped SHA-512 half = box secret");

        crypto.x25519PublicKey(id.boxSecret(), 0, out, 0);
        assertArrayEquals(id.sid(), out, "X25519 public of the box secret = SID");
    }

    @Test
    void sidsMatchTheReadme() {
        assertArrayEquals(HEX.parseHex(SID_A), load("keyring_A.dump").sid());
        assertArrayEquals(HEX.parseHex(SID_B), load("keyring_B.dump").sid());
    }

    @Test
    void aBoxFromAliceToBobOpensWithBobsSecret() {
        Identity a = load("keyring_A.dump");
        Identity b = load("keyring_B.dump");
        byte[] msg = "hello MSP from Alice\n".getBytes(StandardCharsets.US_ASCII);
        byte[] nonce = new byte[24];
        crypto.randomBytes(nonce, 0, 24);
        byte[] box = new byte[msg.length + 16];
        assertTrue(crypto.box(b.sid(), 0, a.boxSecret(), 0, nonce, 0, msg, 0, msg.length, box, 0));

        byte[] plain = new byte[msg.length];
        assertTrue(crypto.boxOpen(a.sid(), 0, b.boxSecret(), 0, nonce, 0, box, 0, box.length, plain, 0));
        assertArrayEquals(msg, plain);

        byte[] kAB = new byte[32];
        byte[] kBA = new byte[32];
        assertTrue(crypto.boxBeforeNm(b.sid(), 0, a.boxSecret(), 0, kAB, 0));
        assertTrue(crypto.boxBeforeNm(a.sid(), 0, b.boxSecret(), 0, kBA, 0));
        assertArrayEquals(kAB, kBA, "both sides derive the same shared key");

        box[20] ^= 1;
        assertFalse(crypto.boxOpen(a.sid(), 0, b.boxSecret(), 0, nonce, 0, box, 0, box.length, plain, 0));
    }
}
