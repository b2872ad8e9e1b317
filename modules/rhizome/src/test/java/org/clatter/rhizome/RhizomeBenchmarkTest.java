package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.clatter.rhizome.internal.SqliteStorage;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.storage.RecordIndex.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store benchmarks, each with a baseline measured in the same run. Opt-in (minutes, not seconds):
 * {@code CLATTER_BENCH=1 ./clatterw mvn -o -q test -pl modules/rhizome -Dtest=RhizomeBenchmarkTest}.
 */
@EnabledIfEnvironmentVariable(named = "CLATTER_BENCH", matches = "1")
class RhizomeBenchmarkTest {
    private final Crypto crypto = RhizomeCrypto.create();

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

    @Test
    void bundleImportsPerSecond(@TempDir Path dir) {
        RhizomeIdentity me = RhizomeIdentity.generate(crypto);
        int n = 5000;
        List<Manifest> ms = new ArrayList<>();
        List<byte[]> ps = new ArrayList<>();
        Random r = new Random(2);
        for (int i = 0; i < n; i++) {
            BundleKeys k = BundleKeys.generate(crypto);
            byte[] p = new byte[100 + r.nextInt(900)];
            r.nextBytes(p);
            ms.add(Manifest.builder().set("service", "file").set("version", 1).set("id", HexFormat.of().withUpperCase().formatHex(k.bid()))
                    .set("BK", HexFormat.of().withUpperCase().formatHex(k.bk(me.rhizomeSecret())))
                    .set("date", 1).set("name", "f" + i).set("filesize", p.length)
                    .set("filehash", PayloadHash.of(new ByteArrayInputStream(p))).sign(k.secret(), crypto));
            ps.add(p);
        }
        long tv = System.nanoTime();
        for (Manifest m : ms) {
            assertTrue(m.verify(crypto));
        }
        double verifyOnly = n / ((System.nanoTime() - tv) / 1e9);
        try (RhizomeStore s = RhizomeStore.open(dir.resolve("one")); RhizomeStore b = RhizomeStore.open(dir.resolve("batch"))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                assertEquals(RhizomeStore.ImportResult.IMPORTED, s.importBundle(ms.get(i), new ByteArrayInputStream(ps.get(i))));
            }
            double single = n / ((System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            for (int off = 0; off < n; off += 500) {
                List<InputStream> streams = new ArrayList<>();
                for (int i = off; i < off + 500; i++) {
                    streams.add(new ByteArrayInputStream(ps.get(i)));
                }
                b.importAll(ms.subList(off, off + 500), streams);
            }
            double batched = n / ((System.nanoTime() - t1) / 1e9);
            assertEquals(n, b.count());
            System.out.printf("imports/s: one by one %.0f, batched (500) %.0f; baseline in this run: Ed25519 verify alone %.0f/s%n",
                    single, batched, verifyOnly);
        }
    }
}
