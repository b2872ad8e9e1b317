package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM in the middle of imports, several times, and checks the store reopens consistent:
 * every manifest verifies and has its whole payload, and no payload without a manifest is left behind.
 */
class CrashSafetyTest {

    @Test
    void killedDuringImportsReopensConsistent(@TempDir Path dir) throws Exception {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Path testClasses = Path.of(CrashChild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        long before = 0;
        for (int round = 0; round < 3; round++) {
            List<String> cmd = new ArrayList<>(List.of(javaBin, "--enable-native-access=org.xerial.sqlitejdbc",
                    "--module-path", System.getProperty("jdk.module.path"),
                    "--patch-module", "org.clatter.rhizome=" + testClasses,
                    "--add-modules", "ALL-MODULE-PATH",
                    "-m", "org.clatter.rhizome/org.clatter.rhizome.CrashChild", dir.toString(), Long.toString(seed + round)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line = out.readLine();
                assertEquals("ready", line, "seed " + seed + ": child did not start: " + line);
                Thread.sleep(100 + r.nextInt(600));
                p.destroyForcibly();
                p.waitFor();
            }
            try (RhizomeStore s = RhizomeStore.open(dir)) {
                long n = s.count();
                assertTrue(n >= before + 4, "seed " + seed + ": imports survived (" + n + ")");
                before = n;
                long since = 0;
                for (List<RhizomeStore.Change> page = s.changedSince(since, 500); !page.isEmpty(); page = s.changedSince(since, 500)) {
                    for (RhizomeStore.Change c : page) {
                        Manifest m = c.manifest();
                        assertTrue(m.verify(s.crypto()), "seed " + seed + ": manifest verifies");
                        try (InputStream in = s.payload(m.idHex(), 0).orElseThrow()) {
                            if (m.filesize() == 0) {
                                // an empty payload has no filehash field and no blob
                                assertEquals(-1, in.read(), "seed " + seed + ": empty payload reads empty");
                            } else {
                                assertEquals(m.filehash().orElseThrow(), PayloadHash.of(in), "seed " + seed + ": whole payload present");
                            }
                        }
                        since = c.change();
                    }
                }
                assertEquals(List.of(), s.orphanPayloads(),
                        "seed " + seed + ": reopening after a kill removes payloads whose manifest never committed");
                try (var tmp = Files.list(dir.resolve("rhizome/blobs/tmp"))) {
                    assertEquals(0L, tmp.count(), "half-written payload files are removed on open");
                }
            }
        }
        System.out.println("crash safety: " + before + " bundles after 3 kills, seed " + seed);
    }
}
