package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The real servald manifests, payloads and keys in {@code shared/conformance/serval} (see its README). */
class ServalConformanceTest {
    private static final HexFormat HEX = HexFormat.of();
    private final Crypto crypto = RhizomeCrypto.create();

    @ParameterizedTest
    @CsvSource({
        "hello.manifest, keyring_A.dump, F2ACE5626AD0A140, 1795367315779, 77, 453, 3215472bf4e9926d, f2ace5626ad0a1409f28b8eaa8908a060001a2043b294300000000fff0fff000, hello.txt",
        "big.manifest, keyring_B.dump, 05F15667B66C2620, 1795367330059, 40000, 454, b4f6d56670844a5d, 05f15667b66c262099df0a615f79de0f0001a2043b610b00000000fff0fff000, big.bin",
        "meshms.rhm, keyring_A.dump, 7D0FF2AB05B75DBC, 36, 36, 592, 65f15b4dd259f293, 7d0ff2ab05b75dbc3d2923488de152050000000000002400000000fff0fff000, meshms_raw.bin",
    })
    void manifestParsesVerifiesAndRoundTrips(String file, String dump, String bidPrefix, long version, long size,
                                             int length, String syncKey, String bar, String payload) throws IOException {
        byte[] raw = Conformance.bytes(file);
        Manifest m = Manifest.parse(raw);
        assertEquals(length, raw.length);
        assertTrue(m.idHex().startsWith(bidPrefix), m.idHex());
        assertEquals(version, m.version());
        assertEquals(size, m.filesize());
        assertTrue(m.verify(crypto), "signature by the BID verifies");
        assertArrayEquals(raw, m.serialise(), "re-serialises to the same bytes");
        assertArrayEquals(raw, m.toBytes());
        assertEquals(syncKey, HEX.formatHex(m.syncKey()));
        assertEquals(bar, m.bar().toString());

        RhizomeIdentity author = Conformance.identity(dump, crypto);
        BundleKeys keys = BundleKeys.recover(m, author.rhizomeSecret(), crypto).orElseThrow();
        assertArrayEquals(m.id(), keys.bid());
        assertArrayEquals(m.bk().orElseThrow(), keys.bk(author.rhizomeSecret()));
        RhizomeIdentity other = Conformance.identity(dump.equals("keyring_A.dump") ? "keyring_B.dump" : "keyring_A.dump", crypto);
        assertTrue(BundleKeys.recover(m, other.rhizomeSecret(), crypto).isEmpty(), "another RS recovers nothing");

        try (var in = new ByteArrayInputStream(Conformance.bytes(payload))) {
            assertEquals(m.filehash().orElseThrow(), PayloadHash.of(in));
        }
    }

    @Test
    void tamperedManifestDoesNotVerify() {
        byte[] raw = Conformance.bytes("hello.manifest");
        raw[raw.length - 40] ^= 1;
        assertFalse(Manifest.parse(raw).verify(crypto));
    }

    @Test
    void keyringDumpSidMatchesPublishedSid() {
        RhizomeIdentity a = Conformance.identity("keyring_A.dump", crypto);
        RhizomeIdentity b = Conformance.identity("keyring_B.dump", crypto);
        assertEquals("5D1628BCC46D80E579479CF70D3FF07834197CC7E6F8D156DEE24D9157F2C37C", a.sidHex());
        assertEquals("57177BD2BC32057D226626722DD7AAA75519865D5BB7054071B4D8DA508BC61C", b.sidHex());
    }

    @Test
    void meshmsPayloadDecryptsForBothEnds() throws IOException {
        Manifest m = Manifest.parse(Conformance.bytes("meshms.rhm"));
        assertTrue(m.encrypted() && m.isJournal());
        byte[] expected = Conformance.bytes("meshms_decrypted.bin");
        for (String dump : new String[] {"keyring_A.dump", "keyring_B.dump"}) {
            RhizomeIdentity me = Conformance.identity(dump, crypto);
            byte[] key = PayloadCipher.key(m, me, crypto);
            try (var in = new PayloadCipher(key, m, crypto).decrypting(new ByteArrayInputStream(Conformance.bytes("meshms_raw.bin")))) {
                assertArrayEquals(expected, in.readAllBytes(), dump);
            }
        }
    }
}
