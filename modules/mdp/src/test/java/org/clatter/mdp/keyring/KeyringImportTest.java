package org.clatter.mdp.keyring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.SharedFolder;
import org.clatter.mdp.Sid;
import org.clatter.mdp.TestCrypto;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringImportTest {
    static final Sid SID_A = Sid.parse("5D1628BCC46D80E579479CF70D3FF07834197CC7E6F8D156DEE24D9157F2C37C");
    static final Sid SID_B = Sid.parse("57177BD2BC32057D226626722DD7AAA75519865D5BB7054071B4D8DA508BC61C");
    static final String SIGN_A = "D819A00046223D0C27CB1FC2FA3C837A4F7E0703F5F7DA34194A5E2005FC5324";
    static final String SIGN_B = "E6FF674933EB0D48E576471910252F698B0FF6A4215CAE7A9CE301026CFD6C59";
    private final Crypto crypto = TestCrypto.get();

    @Test
    void dumpsDeriveTheReadmeIdentities() {
        Identity a = single(KeyringDump.parse(SharedFolder.readText("keyring_A.dump"), crypto));
        Identity b = single(KeyringDump.parse(SharedFolder.readText("keyring_B.dump"), crypto));
        assertEquals(SID_A, a.sid());
        assertEquals(SID_B, b.sid());
        assertArrayEquals(HexFormat.of().parseHex(SIGN_A), a.signingId());
        assertArrayEquals(HexFormat.of().parseHex(SIGN_B), b.signingId());
        assertEquals("5551001", a.did());
        assertEquals("Alice", a.name());
        assertEquals("Bob", b.name());
        assertTrue(a.rhizomeSecret().isPresent());
        // The SID is also the Montgomery form of the Signing ID (combined identity).
        byte[] x = new byte[32];
        assertTrue(crypto.ed25519PublicToX25519(a.signingId(), 0, x, 0));
        assertArrayEquals(a.sid().toBytes(), x);
    }

    @Test
    void dumpFormatReadsBack() {
        List<Identity> ids = KeyringDump.parse(SharedFolder.readText("keyring_A.dump"), crypto);
        String text = KeyringDump.format(ids);
        assertEquals(ids, KeyringDump.parse(text, crypto));
        // Same lines as servald's own dump (it prints types in order 03, 04, 06).
        assertEquals(SharedFolder.readText("keyring_A.dump").strip(), text.strip());
    }

    @Test
    void corruptDumpIsRejectedWithAReason() {
        String text = SharedFolder.readText("keyring_A.dump").replace("pub=D819", "pub=D818");
        var e = assertThrows(MdpException.class, () -> KeyringDump.parse(text, crypto));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
        var e2 = assertThrows(MdpException.class, () -> KeyringDump.parse("hello", crypto));
        assertTrue(e2.getMessage().contains("line 1"), e2.getMessage());
    }

    @Test
    void servaldBinaryKeyringsHoldTheDumpedIdentities() {
        for (String who : new String[] {"A", "B"}) {
            Identity dumped = single(KeyringDump.parse(SharedFolder.readText("keyring_" + who + ".dump"), crypto));
            Identity fromFile = single(ServalKeyringFile.read(SharedFolder.read("keyring_" + who + ".serval.keyring"),
                    "", crypto));
            assertEquals(dumped, fromFile, who);
            // A PIN the file was not written with unlocks nothing.
            assertEquals(0, ServalKeyringFile.read(SharedFolder.read("keyring_" + who + ".serval.keyring"),
                    "1234", crypto).size());
        }
    }

    @Test
    void servaldKeyringWithAPinRoundTrips() {
        List<Identity> ids = List.of(Identity.generate(crypto, "5550001", "Carol"),
                Identity.generate(crypto, "", ""));
        byte[] file = ServalKeyringFile.write(ids, "", "s3cret", crypto);
        assertEquals(ids, ServalKeyringFile.read(file, "s3cret", crypto));
        assertEquals(List.of(), ServalKeyringFile.read(file, "", crypto));
        assertEquals(List.of(), ServalKeyringFile.read(file, "s3creT", crypto));
        byte[] plain = ServalKeyringFile.write(ids, "", "", crypto);
        assertEquals(ids, ServalKeyringFile.read(plain, "", crypto));
        assertThrows(MdpException.class, () -> ServalKeyringFile.read(new byte[100], "", crypto));
    }

    @Test
    void clatterKeyringSealsUnderAPassphrase(@TempDir Path dir) throws Exception {
        Keyring k = new Keyring(KeyringDump.parse(SharedFolder.readText("keyring_A.dump"), crypto));
        k.add(Identity.generate(crypto, "123", "Zoë"));
        Path f = dir.resolve("keyring.clatter");
        ClatterKeyringFile.save(f, k, "correct horse".toCharArray(), crypto);
        assertEquals(k.identities(), ClatterKeyringFile.load(f, "correct horse".toCharArray(), crypto).identities());
        var e = assertThrows(MdpException.class, () -> ClatterKeyringFile.load(f, "wrong".toCharArray(), crypto));
        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
        byte[] bytes = Files.readAllBytes(f);
        // The seed does not appear in the clear.
        byte[] seed = k.requirePrimary().seed();
        for (int i = 0; i + 32 <= bytes.length; i++) {
            assertTrue(!java.util.Arrays.equals(bytes, i, i + 32, seed, 0, 32));
        }
        byte[] empty = ClatterKeyringFile.encode(k, new char[0], 1000, crypto);
        assertEquals(k.identities(), ClatterKeyringFile.decode(empty, new char[0], crypto).identities());
        empty[empty.length - 1] ^= 1;
        assertThrows(MdpException.class, () -> ClatterKeyringFile.decode(empty, new char[0], crypto));
        assertThrows(MdpException.class, () -> ClatterKeyringFile.decode(new byte[10], new char[0], crypto));
    }

    @Test
    void keyringAddReplacesBySid() {
        Keyring k = new Keyring();
        Identity a = Identity.generate(crypto, "1", "one");
        assertTrue(k.add(a));
        assertTrue(!k.add(a.withDidAndName("2", "two")));
        assertEquals(1, k.size());
        assertEquals("two", k.requirePrimary().name());
        assertEquals(a.sid(), k.find(a.sid()).orElseThrow().sid());
        assertThrows(MdpException.class, () -> new Keyring().requirePrimary());
    }

    private static Identity single(List<Identity> ids) {
        assertEquals(1, ids.size(), "identities: " + ids);
        return ids.get(0);
    }
}
