package org.clatter.rhizome.meshms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PlyCodecTest {

    static Path serval() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/conformance/serval"))) {
                return p.resolve("shared/conformance/serval");
            }
        }
        throw new AssertionError("shared/conformance/serval not found above " + Path.of("").toAbsolutePath()
                + "; check out the shared folder next to the repository");
    }

    @Test
    void servaldPlyDecodes() throws Exception {
        byte[] ply = Files.readAllBytes(serval().resolve("meshms_decrypted.bin"));
        PlyCodec.Decoded d = PlyCodec.decode(ply, 0);
        assertTrue(d.error().isEmpty(), d.error().toString());
        assertEquals(2, d.entries().size());
        assertEquals(new PlyRecord.Message("Hi Bob, MeshMS test message"), d.entries().get(0).record());
        assertEquals(30L, d.entries().get(0).end());
        assertEquals(new PlyRecord.Time(1795367329L), d.entries().get(1).record());
        assertEquals(36L, d.entries().get(1).end());
        assertEquals(ply.length, PlyCodec.encode(List.of(d.entries().get(0).record(), d.entries().get(1).record())).length);
        assertEquals(java.util.HexFormat.of().formatHex(ply),
                java.util.HexFormat.of().formatHex(PlyCodec.encode(List.of(d.entries().get(0).record(), d.entries().get(1).record()))));
    }

    static Gen<PlyRecord> records() {
        Gen<PlyRecord> msg = strings().allPossible().ofLengthBetween(0, 200)
                .map(s -> (PlyRecord) new PlyRecord.Message(s.replace("\0", "")));
        Gen<PlyRecord> time = longs().between(0, 0xFFFFFFFFL).map(t -> (PlyRecord) new PlyRecord.Time(t));
        Gen<PlyRecord> ack = longs().between(0, Long.MAX_VALUE).map(a -> (PlyRecord) new PlyRecord.Ack(a));
        return integers().between(0, 2).flatMap(i -> i == 0 ? msg : i == 1 ? time : ack);
    }

    @Test
    void roundTrip() {
        qt().forAll(lists().of(records()).ofSizeBetween(0, 20)).checkAssert(rs -> {
            PlyCodec.Decoded d = PlyCodec.decode(PlyCodec.encode(rs), 7);
            assertTrue(d.error().isEmpty());
            List<PlyRecord> back = new ArrayList<>();
            d.entries().forEach(e -> back.add(e.record()));
            for (int i = 0; i < rs.size(); i++) {
                if (rs.get(i) instanceof PlyRecord.Message m) {
                    // unpaired surrogates do not survive UTF-8; compare what UTF-8 keeps
                    String kept = new String(m.text().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            java.nio.charset.StandardCharsets.UTF_8);
                    assertEquals(new PlyRecord.Message(kept), back.get(i));
                } else {
                    assertEquals(rs.get(i), back.get(i));
                }
            }
            assertEquals(rs.size(), back.size());
        });
    }

    @Test
    void arbitraryBytesNeverThrow() {
        qt().forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 300)).checkAssert(bs -> {
            byte[] b = new byte[bs.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) bs.get(i);
            }
            PlyCodec.Decoded d = PlyCodec.decode(b, 0);
            long covered = d.entries().stream().mapToLong(e -> e.end() - e.start()).sum();
            assertTrue(d.error().isPresent() || covered == b.length);
        });
    }
}
