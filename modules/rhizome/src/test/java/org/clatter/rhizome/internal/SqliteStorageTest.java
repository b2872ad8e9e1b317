package org.clatter.rhizome.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clatter.spi.storage.BlobId;
import org.clatter.spi.storage.BlobStore;
import org.clatter.spi.storage.RecordIndex.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorageTest {

    @Test
    void providerIsFoundThroughTheStorageSpi(@TempDir Path dir) {
        // declared with provides ... with in module-info (a consumer's ServiceLoader finds it there)
        assertTrue(SqliteStorageProvider.class.getModule().getDescriptor().provides().stream().anyMatch(
                pr -> pr.service().equals("org.clatter.spi.storage.StorageProvider")
                        && pr.providers().equals(List.of(SqliteStorageProvider.class.getName()))));
        org.clatter.spi.storage.StorageProvider p = new SqliteStorageProvider();
        assertEquals("sqlite", p.name());
        assertTrue(p.isAvailable(), p.unavailabilityCause().toString());
        try (org.clatter.spi.storage.Storage st = p.open(dir, org.clatter.spi.provider.Config.empty())) {
            st.index().put(new Record("x", Map.of(), new byte[0], Optional.empty(), 0));
            assertEquals(1L, st.index().count());
        }
    }

    @Test
    void attributeTextRoundTrips() {
        qt().forAll(maps().of(strings().allPossible().ofLengthBetween(0, 10), strings().allPossible().ofLengthBetween(0, 20))
                .ofSizeBetween(0, 6)).checkAssert(m -> assertEquals(m, SqliteStorage.decodeAttributes(SqliteStorage.encodeAttributes(m))));
    }

    @Test
    void recordsQueriesAndReplacement(@TempDir Path dir) throws Exception {
        try (SqliteStorage s = SqliteStorage.open(dir)) {
            long c1 = s.put(new Record("a", Map.of("service", "file", "name", "x\ty"), new byte[] {1}, Optional.empty(), 0));
            long c2 = s.put(new Record("b", Map.of("service", "file"), new byte[] {2}, Optional.empty(), 0));
            long c3 = s.put(new Record("a", Map.of("service", "MeshMS2"), new byte[] {3}, Optional.empty(), 0));
            assertTrue(c1 < c2 && c2 < c3);
            assertEquals(List.of("b"), s.query(Map.of("service", "file"), 10).stream().map(Record::id).toList());
            assertEquals(List.of("a"), s.query(Map.of("service", "MeshMS2"), 10).stream().map(Record::id).toList());
            assertEquals(0, s.query(Map.of("name", "x\ty"), 10).size(), "replaced record's old attributes are gone");
            assertEquals(List.of("b", "a"), s.changedSince(0, 10).stream().map(Record::id).toList());
            assertEquals(3, s.get("a").orElseThrow().body()[0]);
            assertTrue(s.delete("b"));
            assertEquals(1L, s.count());
            BlobStore.BlobWriter w = s.blobs().create();
            OutputStream o = w.stream();
            o.write(new byte[40_000]);
            BlobId big = w.commit();
            assertEquals(40_000L, s.blobs().size(big));
            assertEquals(1, s.orphanBlobs().size());
            try (BlobStore.BlobWriter aborted = s.blobs().create()) {
                aborted.stream().write(new byte[50_000]);
            }
            assertEquals(1, s.orphanBlobs().size(), "an aborted blob leaves nothing");
            s.save(new byte[] {9, 9});
            assertEquals(2, s.load().orElseThrow().length);
        }
    }
}
