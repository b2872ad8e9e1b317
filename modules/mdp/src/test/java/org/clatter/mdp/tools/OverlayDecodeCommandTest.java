package org.clatter.mdp.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clatter.mdp.SharedFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayDecodeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(InputStream in, String... args) {
        return OverlayDecodeCommand.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void decodesTheCaptureWithKeys() {
        Path s = SharedFolder.serval();
        int rc = run(InputStream.nullInputStream(), s.resolve("serval-overlay.pcap").toString(),
                "--keyring-dump", s.resolve("keyring_A.dump").toString(),
                "--keyring-dump", s.resolve("keyring_B.dump").toString());
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        List<String> l = lines();
        assertEquals(655, l.stream().filter(x -> x.matches("\\s*\\d+ +v1 .* #\\d+ .*")).count(), "one line per frame");
        assertEquals(199, l.stream().filter(x -> x.contains(" tick ")).count(), "one line per v0 tick");
        assertEquals(171, l.stream().filter(x -> x.endsWith("crypted decrypted")).count());
        assertEquals(8, l.stream().filter(x -> x.endsWith("signed valid")).count());
        assertTrue(l.contains("packets 728: v0 broadcast 184, v0 unicast 15, v1 broadcast 6, v1 unicast 523"), l.toString());
        assertTrue(l.contains("frames 655: please-explain 4, linkstate-unicast 285, linkstate-broadcast 28, keymap 4, "
                + "echo 14, trace 2, dna-lookup 12, sync-keys-tree 37, rhizome-sync-bar 122, msp 147"));
        assertTrue(l.contains("msp by port: 18 139, 555 8"));
        assertTrue(l.contains("decrypted 171/171, signatures valid 8/8"));
        assertTrue(l.contains("decode errors: none"));
        String keymap = l.stream().filter(x -> x.startsWith("   16 ")).findFirst().orElseThrow();
        assertTrue(keymap.matches(".*keymap +5D1628BC\\* -> 57177BD2\\* +port 1->1 .*crypted decrypted"), keymap);
    }

    @Test
    void withoutKeysCryptedFramesStayClosed() {
        int rc = run(InputStream.nullInputStream(), SharedFolder.serval().resolve("serval-overlay.pcap").toString());
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        List<String> l = lines();
        assertTrue(l.contains("crypted 171, signed 8 (no keys given: pass --keyring-dump to open and verify them)"),
                l.subList(l.size() - 6, l.size()).toString());
        assertEquals(171, l.stream().filter(x -> x.endsWith("crypted (no key)")).count());
    }

    @Test
    void readsStandardInput() {
        int rc = run(new ByteArrayInputStream(SharedFolder.read("serval-overlay.pcap")), "-");
        assertEquals(0, rc);
        assertTrue(lines().contains("packets 728: v0 broadcast 184, v0 unicast 15, v1 broadcast 6, v1 unicast 523"));
    }

    @Test
    void badInputGivesAUsageOrAClearMessage(@TempDir Path dir) throws Exception {
        assertEquals(2, run(InputStream.nullInputStream()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
        assertEquals(2, run(InputStream.nullInputStream(), dir.resolve("missing.pcap").toString()));
        Path junk = dir.resolve("junk.pcap");
        Files.write(junk, new byte[100]);
        err.reset();
        assertEquals(2, run(InputStream.nullInputStream(), junk.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not a classic pcap file"), err.toString());
        assertEquals(2, run(InputStream.nullInputStream(), "x.pcap", "--keyring-dump"));
    }
}
