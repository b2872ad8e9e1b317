package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.clatter.rhizome.internal.SqliteStorage;
import org.clatter.spi.storage.RecordIndex.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite record index at a million records. Opt-in (minutes, not seconds):
 * {@code CLATTER_BENCH=1 ./clatterw mvn -o -q test -pl modules/rhizome -Dtest=RhizomeBenchmarkTest}.
 * Imports per second, sync between two nodes and the million-bundle sync round are in
 * {@code tools/bench} ({@code org.clatter.tools.bench.rhizome.RhizomeSyncBench}, {@code tools/bench/rhizome-vs-servald.sh}).
 */
@EnabledIfEnvironmentVariable(named = "CLATTER_BENCH", matches = "1")
class RhizomeBenchmarkTest {

    @Test
    void millionRecordIndex(@TempDir Path dir) {
        HexFormat hex = HexFormat.of().withUpperCase();
        Random r = new Random(1);
        int total = 1_000_000;
        int batch = 10_000;
        String[] services = {"file", "MeshMS2", "private", "MeshMB1"};
        String[] sids = new String[200];
        for (int i = 0; i < sids.length; i++) {
            byte[] s = new byte[32];
            r.nextBytes(s);
            sids[i] = hex.formatHex(s);
        }
        byte[] body = new byte[450];
        try (SqliteStorage s = SqliteStorage.open(dir)) {
            long t0 = System.nanoTime();
            String lastId = null;
            for (int done = 0; done < total; done += batch) {
                List<Record> rs = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    byte[] id = new byte[32];
                    r.nextBytes(id);
                    r.nextBytes(body);
                    lastId = hex.formatHex(id);
                    rs.add(new Record(lastId, Map.of("kind", "bundle", "service", services[r.nextInt(4)],
                            "name", "file" + (done + i), "sender", sids[r.nextInt(200)], "recipient", sids[r.nextInt(200)],
                            "synckey", Long.toHexString(r.nextLong())), body, Optional.empty(), 0));
                }
                s.putAll(rs);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("index: %d records in %.1f s = %.0f records/s (batches of %d)%n", total, secs, total / secs, batch);
            assertEquals(total, s.count());
            time("get(absent id)", () -> s.get("00" + "0".repeat(62)).isEmpty());
            String last = lastId;
            time("get(last id)", () -> s.get(last).isPresent());
            time("query service=file limit 100", () -> s.query(Map.of("service", "file", "kind", "bundle"), 100).size() == 100);
            time("query name=file777777", () -> s.query(Map.of("name", "file777777", "kind", "bundle"), 10).size() == 1);
            time("query sender+recipient", () -> !s.query(Map.of("sender", sids[3], "recipient", sids[5], "kind", "bundle"), 100).isEmpty());
            time("changedSince(last-100)", () -> s.changedSince(total - 100, 1000).size() == 100);
            time("count", () -> s.countWhere("kind", "bundle") == total);
            time("replace one record", () -> s.put(new Record(last, Map.of("kind", "bundle", "service", "file"), body, Optional.empty(), 0)) > total);
        }
    }

    private static void time(String what, java.util.function.BooleanSupplier op) {
        op.getAsBoolean();
        long t0 = System.nanoTime();
        int n = 20;
        for (int i = 0; i < n; i++) {
            assertTrue(op.getAsBoolean(), what);
        }
        System.out.printf("  %-32s %8.3f ms%n", what, (System.nanoTime() - t0) / 1e6 / n);
    }
}
