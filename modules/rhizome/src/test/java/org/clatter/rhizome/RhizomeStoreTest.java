package org.clatter.rhizome;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RhizomeStoreTest {
    private final Crypto crypto = RhizomeCrypto.create();

    @Test
    void conformanceBundlesImportAndQuery(@TempDir Path dir) throws Exception {
        try (RhizomeStore s = RhizomeStore.open(dir)) {
            for (String[] b : new String[][] {{"hello.manifest", "hello.txt"}, {"big.manifest", "big.bin"}, {"meshms.rhm", "meshms_raw.bin"}}) {
                Manifest m = Manifest.parse(Conformance.bytes(b[0]));
                assertEquals(RhizomeStore.ImportResult.IMPORTED, s.importBundle(m, new ByteArrayInputStream(Conformance.bytes(b[1]))));
                assertEquals(RhizomeStore.ImportResult.NOT_NEWER, s.importBundle(m, new ByteArrayInputStream(Conformance.bytes(b[1]))));
            }
            assertEquals(3, s.count());
            assertEquals(2, s.list(Map.of("service", "file"), 10).size());
            assertEquals(1, s.list(Map.of("service", "MeshMS2", "recipient", "57177bd2bc32057d226626722dd7aaa75519865d5bb7054071b4d8da508bc61c"), 10).size());
            Manifest hello = Manifest.parse(Conformance.bytes("hello.manifest"));
            assertEquals(hello, s.bySyncKey(hello.syncKey()).orElseThrow());
            try (InputStream in = s.payload(hello.idHex(), 0).orElseThrow()) {
                assertArrayEquals(Conformance.bytes("hello.txt"), in.readAllBytes());
            }
            assertEquals(3, s.changedSince(0, 100).size());
        }
        try (RhizomeStore s = RhizomeStore.open(dir)) {
            assertEquals(3, s.count(), "persisted across reopen");
            long last = s.changedSince(0, 100).getLast().change();
            assertEquals(0, s.changedSince(last, 100).size());
        }
    }

    @Test
    void rejectsBadPayloadsAndForgeries(@TempDir Path dir) {
        try (RhizomeStore s = RhizomeStore.open(dir)) {
            Manifest m = Manifest.parse(Conformance.bytes("hello.manifest"));
            byte[] p = Conformance.bytes("hello.txt");
            byte[] bad = p.clone();
            bad[0] ^= 1;
            assertEquals(RhizomeStore.ImportResult.HASH_MISMATCH, s.importBundle(m, new ByteArrayInputStream(bad)));
            assertEquals(RhizomeStore.ImportResult.SIZE_MISMATCH, s.importBundle(m, new ByteArrayInputStream(new byte[3])));
            byte[] forged = m.toBytes();
            forged[forged.length - 50] ^= 1;
            assertEquals(RhizomeStore.ImportResult.BAD_SIGNATURE, s.importBundle(Manifest.parse(forged), new ByteArrayInputStream(p)));
            assertEquals(0, s.count());
            assertTrue(s.orphanPayloads().isEmpty(), "rejected payloads leave no files");
        }
    }

    @Test
    void newerVersionReplacesOlderAndFreesItsPayload(@TempDir Path dir) {
        RhizomeIdentity me = RhizomeIdentity.generate(crypto);
        BundleKeys keys = BundleKeys.generate(crypto);
        try (RhizomeStore s = RhizomeStore.open(dir)) {
            Manifest v1 = s.add(Map.of("service", "file", "name", "a.txt"), me, keys, new ByteArrayInputStream("one".getBytes()), 1);
            Manifest v2 = s.add(Map.of("service", "file", "name", "a.txt"), me, keys, new ByteArrayInputStream("two!".getBytes()), 2);
            assertEquals(v1.idHex(), v2.idHex());
            assertEquals(1, s.count());
            assertEquals(2L, s.manifest(v1.idHex()).orElseThrow().version());
            assertEquals(RhizomeStore.ImportResult.NOT_NEWER, s.importBundle(v1, new ByteArrayInputStream("one".getBytes())));
            assertTrue(s.orphanPayloads().isEmpty());
            assertArrayEquals(keys.secret(), BundleKeys.recover(v2, me.rhizomeSecret(), crypto).orElseThrow().secret());
        }
    }

    @Test
    void largePayloadStreamsThroughAndHashes(@TempDir Path dir) throws Exception {
        RhizomeIdentity me = RhizomeIdentity.generate(crypto);
        long size = 64L << 20;
        try (RhizomeStore s = RhizomeStore.open(dir)) {
            Manifest m = s.add(Map.of("service", "file", "name", "big"), me, BundleKeys.generate(crypto), new PatternStream(size), 5);
            assertEquals(size, m.filesize());
            try (InputStream in = s.payload(m.idHex(), 0).orElseThrow()) {
                assertEquals(m.filehash().orElseThrow(), PayloadHash.of(in));
            }
            try (InputStream in = s.payload(m.idHex(), size - 10).orElseThrow()) {
                assertEquals(10, in.readAllBytes().length);
            }
        }
    }

    /** A long deterministic stream that is never in memory whole. */
    static final class PatternStream extends InputStream {
        private long left;
        private final Random r = new Random(1);

        PatternStream(long n) {
            left = n;
        }

        @Override
        public int read() {
            return left-- > 0 ? r.nextInt(256) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (i * 31 + left);
            }
            left -= n;
            return n;
        }
    }

    @Test
    void batchImportAndMeasure(@TempDir Path dir) {
        RhizomeIdentity me = RhizomeIdentity.generate(crypto);
        int n = 2000;
        List<Manifest> ms = new ArrayList<>();
        List<byte[]> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BundleKeys k = BundleKeys.generate(crypto);
            byte[] p = ("payload " + i).getBytes();
            ms.add(Manifest.builder().set("service", "file").set("version", 1).set("id", java.util.HexFormat.of().formatHex(k.bid()))
                    .set("date", 1).set("name", "f" + i).set("filesize", p.length)
                    .set("filehash", PayloadHash.of(new ByteArrayInputStream(p))).sign(k.secret(), crypto));
            ps.add(p);
        }
        try (RhizomeStore s = RhizomeStore.open(dir)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n / 2; i++) {
                assertEquals(RhizomeStore.ImportResult.IMPORTED, s.importBundle(ms.get(i), new ByteArrayInputStream(ps.get(i))));
            }
            long t1 = System.nanoTime();
            List<InputStream> streams = new ArrayList<>();
            for (int i = n / 2; i < n; i++) {
                streams.add(new ByteArrayInputStream(ps.get(i)));
            }
            List<RhizomeStore.ImportResult> rs = s.importAll(ms.subList(n / 2, n), streams);
            long t2 = System.nanoTime();
            assertTrue(rs.stream().allMatch(r -> r == RhizomeStore.ImportResult.IMPORTED));
            assertEquals(n, s.count());
            assertEquals(1, s.list(Map.of("name", "f77"), 10).size());
            System.out.printf("imports/s: one-by-one %.0f, batched %.0f (n=%d each; signature verify + hash included; small payloads in SQLite, WAL synchronous=NORMAL)%n",
                    (n / 2) / ((t1 - t0) / 1e9), (n / 2) / ((t2 - t1) / 1e9), n / 2);
        }
    }
}
