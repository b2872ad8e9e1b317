package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clatter.spi.storage.BlobId;
import org.clatter.spi.storage.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One store opened by several openers at once (the node daemon and {@code rhizome add}, {@code meshms send}):
 * another opener's temporary payload files and its payloads between rename and manifest commit survive an open;
 * a dead process's leftovers are cleaned once nobody else has the store open; two openers writing at the same
 * time get distinct change numbers and lose nothing. (Each opener has its own SQLite connection, as two processes
 * would; the openers' markers carry this process's pid, like a second process that is alive.)
 */
class StoreSharingTest {
    @TempDir
    Path dir;

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        return p.pid();
    }

    private static BlobId orphan(RhizomeStore s, int size) throws Exception {
        try (BlobStore.BlobWriter w = s.blobs().create(); OutputStream o = w.stream()) {
            o.write(new byte[size]);
            return w.commit();
        }
    }

    @Test
    void anotherOpenersFilesSurviveAndADeadOnesAreCleanedWhenNobodyElseHasTheStore() throws Exception {
        Path tmp = dir.resolve("rhizome").resolve("blobs").resolve("tmp");
        long dead = deadPid();
        try (RhizomeStore daemon = RhizomeStore.open(dir)) {
            BlobId inFlight = orphan(daemon, 40_000); // renamed into place, manifest not committed yet
            Path live = tmp.resolve(ProcessHandle.current().pid() + "-half-written.part");
            Path leftover = tmp.resolve(dead + "-crashed.part");
            Path legacy = tmp.resolve("no-pid.part");
            for (Path p : List.of(live, leftover, legacy)) {
                Files.writeString(p, "partial");
            }
            Files.writeString(dir.resolve("rhizome").resolve("open." + dead + ".1"), Long.toString(dead));
            try (RhizomeStore command = RhizomeStore.open(dir)) {
                assertTrue(Files.exists(live), "a live process's half-written payload is left alone");
                assertFalse(Files.exists(leftover), "a dead process's temporary file is removed");
                assertFalse(Files.exists(legacy), "a temporary file without a pid is removed");
                assertTrue(command.blobs().size(inFlight) > 0,
                        "another opener's payload awaiting its manifest is not taken for an orphan");
            }
            assertTrue(daemon.blobs().size(inFlight) > 0);
        }
        try (RhizomeStore alone = RhizomeStore.open(dir)) {
            assertEquals(List.of(), alone.orphanPayloads(),
                    "the dead process's marker makes the next sole opener remove orphans");
            try (var ds = Files.newDirectoryStream(dir.resolve("rhizome"), "open.*")) {
                List<String> markers = new ArrayList<>();
                ds.forEach(p -> markers.add(p.getFileName().toString()));
                assertEquals(1, markers.size(), "only this opener's marker is left: " + markers);
            }
        }
    }

    @Test
    void twoOpenersWritingAtOnceGetDistinctChangeNumbers() throws Exception {
        try (RhizomeStore a = RhizomeStore.open(dir); RhizomeStore b = RhizomeStore.open(dir)) {
            RhizomeIdentity author = RhizomeIdentity.generate(a.crypto());
            int each = 15;
            List<CompletableFuture<List<Manifest>>> writers = new ArrayList<>();
            for (RhizomeStore s : List.of(a, b)) {
                CompletableFuture<List<Manifest>> f = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> {
                    try {
                        List<Manifest> out = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            byte[] payload = new byte[i % 3 == 0 ? 0 : i % 3 == 1 ? 1000 + i : 20_000 + i];
                            out.add(s.add(Map.of("service", "file", "name", "f" + i), author,
                                    BundleKeys.generate(s.crypto()), new ByteArrayInputStream(payload), 1));
                        }
                        f.complete(out);
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    }
                });
                writers.add(f);
            }
            Set<String> added = new HashSet<>();
            for (CompletableFuture<List<Manifest>> f : writers) {
                f.get(120, TimeUnit.SECONDS).forEach(m -> added.add(m.idHex()));
            }
            assertEquals(2 * each, added.size());
            for (RhizomeStore s : List.of(a, b)) {
                List<RhizomeStore.Change> changes = s.changedSince(0, 1000);
                assertEquals(added, new HashSet<>(changes.stream().map(c -> c.manifest().idHex()).toList()),
                        "each opener sees every bundle");
                assertEquals(changes.size(), changes.stream().mapToLong(RhizomeStore.Change::change).distinct().count(),
                        "change numbers are distinct");
                assertEquals((long) 2 * each, s.count());
                assertEquals(changes.getLast().change(), s.lastChange());
            }
        }
    }
}
