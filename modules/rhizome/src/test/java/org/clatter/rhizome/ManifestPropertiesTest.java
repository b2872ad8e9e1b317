package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The manifest parser on arbitrary, mutated and generated input: a clear ManifestException or a manifest, never a crash. */
class ManifestPropertiesTest {
    private static final Crypto CRYPTO = RhizomeCrypto.create();
    private static final List<byte[]> REAL = List.of(Conformance.bytes("hello.manifest"), Conformance.bytes("big.manifest"),
            Conformance.bytes("meshms.rhm"));

    static Gen<byte[]> bytes(int max) {
        return lists().of(integers().between(0, 255)).ofSizeBetween(0, max).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) l.get(i);
            }
            return b;
        });
    }

    /** Parses, and if it succeeds checks the manifest is consistent; returns true when parsed. */
    static boolean parseOrExplain(byte[] b) {
        try {
            Manifest m = Manifest.parse(b);
            assertArrayEquals(b, m.toBytes());
            assertEquals(64, m.idHex().length());
            m.verify(CRYPTO);
            return true;
        } catch (ManifestException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return false;
        }
    }

    @Test
    void arbitraryBytes() {
        qt().forAll(bytes(600)).checkAssert(ManifestPropertiesTest::parseOrExplain);
    }

    @Test
    void mutatedRealManifests() {
        qt().withExamples(2000).forAll(integers().between(0, 2), lists().of(longs().all()).ofSizeBetween(1, 6))
                .checkAssert((which, edits) -> {
                    byte[] b = REAL.get(which).clone();
                    for (long e : edits) {
                        int kind = (int) Math.floorMod(e, 3);
                        int pos = (int) Math.floorMod(e >>> 8, Math.max(1, b.length));
                        if (kind == 0 && b.length > 0) {
                            b[pos] ^= (byte) (1 << (int) Math.floorMod(e >>> 40, 8));
                        } else if (kind == 1) {
                            b = java.util.Arrays.copyOf(b, pos);
                        } else if (b.length > 0) {
                            byte[] c = new byte[b.length + 1];
                            System.arraycopy(b, 0, c, 0, pos);
                            c[pos] = (byte) (e >>> 48);
                            System.arraycopy(b, pos, c, pos + 1, b.length - pos);
                            b = c;
                        }
                    }
                    if (parseOrExplain(b) && !java.util.Arrays.equals(b, REAL.get(which))) {
                        assertFalse(Manifest.parse(b).verify(CRYPTO) && !sameSignedPart(b, REAL.get(which)),
                                "a changed body never verifies");
                    }
                });
    }

    private static boolean sameSignedPart(byte[] a, byte[] b) {
        return java.util.Arrays.equals(Manifest.parse(a).signedPart(), Manifest.parse(b).signedPart());
    }

    @Test
    void generatedManifestsRoundTripAndVerify() {
        Gen<String> label = strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 12).map(s -> "x" + s);
        Gen<String> value = strings().betweenCodePoints(0x20, 0x7e).ofLengthBetween(0, 40);
        qt().withExamples(200).forAll(lists().of(label).ofSizeBetween(0, 8), value, longs().between(1, Long.MAX_VALUE),
                longs().between(0, 1_000_000)).checkAssert((labels, v, version, size) -> {
                    BundleKeys k = BundleKeys.generate(CRYPTO);
                    Manifest.Builder b = Manifest.builder().set("service", "file").set("version", version).set("filesize", size);
                    if (size > 0) {
                        b.set("filehash", "AB".repeat(64));
                    }
                    for (String l : labels) {
                        b.set(l, v);
                    }
                    Manifest m = b.sign(k.secret(), CRYPTO);
                    assertTrue(m.verify(CRYPTO));
                    Manifest again = Manifest.parse(m.toBytes());
                    assertArrayEquals(m.toBytes(), again.serialise());
                    assertEquals(version, again.version());
                    assertEquals(size, again.filesize());
                    assertEquals(m.bar(), again.bar());
                });
    }

    @Test
    void rulesHaveClearMessages() {
        String sig = "";
        String base = "id=" + "A".repeat(64) + "\nversion=1\nfilesize=0\n";
        assertMessage("no terminating NUL", base.getBytes());
        assertMessage("duplicate field", (base + "ID=" + "B".repeat(64) + "\n\0" + sig).getBytes());
        assertMessage("must not be 0", ("id=" + "A".repeat(64) + "\nversion=0\nfilesize=0\n\0").getBytes());
        assertMessage("missing field 'filehash'", ("id=" + "A".repeat(64) + "\nversion=1\nfilesize=5\n\0").getBytes());
        assertMessage("must be absent", (base + "filehash=" + "A".repeat(128) + "\n\0").getBytes());
        assertMessage("larger than 2^64-1", ("id=" + "A".repeat(64) + "\nversion=99999999999999999999\nfilesize=0\n\0").getBytes());
        assertMessage("starts with a letter", (base + "9x=1\n\0").getBytes());
        assertMessage("does not end with a newline", (base + "x=1\0").getBytes());
        assertMessage("unsupported signature block type", (base + "\0" + "\u0001" + "abcdefgh").getBytes());
        assertMessage("needs 96 bytes", (base + "\0\u0017abc").getBytes());
        assertMessage("at most 8192", new byte[8193]);
    }

    private static void assertMessage(String part, byte[] b) {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.parse(b));
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
    }
}
