package org.clatter.rhizome;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.clatter.rhizome.internal.SqliteStorage;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.storage.BlobId;
import org.clatter.spi.storage.BlobStore;
import org.clatter.spi.storage.RecordIndex;
import org.clatter.spi.storage.RecordIndex.Record;

/**
 * The bundle store: manifests in the record index (key = BID hex, body = exact manifest bytes, attributes
 * {@code service, name, sender, recipient, synckey}), payloads as content-addressed blobs named by their
 * {@code filehash}. One bundle per BID: a newer version replaces an older one.
 *
 * <p>An import is crash-safe: the payload is streamed to a temporary file while its SHA-512 is computed, fsynced
 * and renamed into place; only then is the manifest committed in one SQLite transaction. Killing the process at
 * any point leaves either the whole new bundle or the old state (plus, at worst, an unreferenced payload file).
 *
 * <pre>{@code
 * try (RhizomeStore store = RhizomeStore.open(instanceDir)) {
 *     ImportResult r = store.importBundle(manifest, payloadStream);
 *     List<Manifest> files = store.list(Map.of("service", "file"), 100);
 * }
 * }</pre>
 */
public final class RhizomeStore implements AutoCloseable {
    /** Outcome of an import; only {@link #IMPORTED} changed the store. Expected outcomes are returned, never thrown. */
    public enum ImportResult {
        IMPORTED,
        /** The store already has this version or a newer one. */
        NOT_NEWER,
        /** The manifest's self-signature does not verify. */
        BAD_SIGNATURE,
        /** The payload's SHA-512 differs from {@code filehash}. */
        HASH_MISMATCH,
        /** The payload has more or fewer bytes than {@code filesize}. */
        SIZE_MISMATCH
    }

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** Every bundle record carries {@code kind=bundle}; other records (e.g. MeshMS read markers) share the index. */
    private static final String KIND = "kind";
    private static final String BUNDLE = "bundle";

    private final SqliteStorage storage;
    private final Crypto crypto;
    private final Path dir;

    private RhizomeStore(Path dir, SqliteStorage storage, Crypto crypto) {
        this.dir = dir;
        this.storage = storage;
        this.crypto = crypto;
    }

    /** Opens (creating if needed) the store in {@code <instance>/rhizome}. */
    public static RhizomeStore open(Path instanceDir) {
        Path dir = instanceDir.resolve("rhizome");
        RhizomeStore store = new RhizomeStore(dir, SqliteStorage.open(dir), RhizomeCrypto.create());
        store.recoverIfUncleanlyClosed();
        return store;
    }

    /**
     * A store that was not closed (the process was killed or the machine lost power) may hold payloads whose
     * manifest commit never happened; they are found and deleted here, so a reopened store holds whole bundles
     * and nothing else. Several processes may have the store open at once (the node daemon, {@code rhizome add},
     * {@code meshms send}): each open leaves a marker {@code open.PID.N} while it is open, and the orphan scan runs
     * only when a marker of a dead process is found and no other live process has the store open (a live one may
     * be between its payload rename and its manifest commit). The check runs under an exclusive lock on
     * {@value #LOCK_FILE}, so two opens never scan at once.
     */
    private void recoverIfUncleanlyClosed() {
        synchronized (RhizomeStore.class) {
            try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(dir.resolve(LOCK_FILE),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock held = lock.lock()) {
                List<Path> dead = new ArrayList<>();
                boolean othersLive = false;
                try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "open.*")) {
                    for (Path p : ds) {
                        if (markerIsLive(p.getFileName().toString())) {
                            othersLive = true;
                        } else {
                            dead.add(p);
                        }
                    }
                }
                if (!dead.isEmpty() && !othersLive) {
                    removeOrphanPayloads();
                    for (Path p : dead) {
                        Files.deleteIfExists(p);
                    }
                }
                long pid = ProcessHandle.current().pid();
                marker = dir.resolve("open." + pid + "." + OPENS.incrementAndGet());
                Files.writeString(marker, Long.toString(pid));
            } catch (java.io.IOException e) {
                throw new RhizomeException("cannot write the open marker in " + dir + ": " + e.getMessage()
                        + "; check the instance directory's permissions");
            }
        }
    }

    /** Whether {@code open.PID.N} belongs to a live process; the old single {@code open.marker} never does. */
    static boolean markerIsLive(String name) {
        String[] f = name.split("\\.");
        if (f.length != 3) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(f[1])).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static final String LOCK_FILE = "store.lock";
    private static final java.util.concurrent.atomic.AtomicLong OPENS = new java.util.concurrent.atomic.AtomicLong();
    private Path marker;

    /** Where partly received payloads are kept so that an interrupted transfer can resume. */
    public Path partialDirectory() {
        return dir.resolve("partial");
    }

    /** The newest stored manifest whose BID starts with {@code prefix} bytes. */
    public Optional<Manifest> byBidPrefix(byte[] prefix) {
        return storage.firstBodyWithIdPrefix(HEX.formatHex(prefix)).map(Manifest::parse);
    }

    /** The sync keys of every stored bundle, read from the index alone. */
    public List<byte[]> syncKeys() {
        List<byte[]> out = new ArrayList<>();
        for (String v : storage.attributeValues("synckey")) {
            out.add(HexFormat.of().parseHex(v));
        }
        return out;
    }

    public Crypto crypto() {
        return crypto;
    }

    public BlobStore blobs() {
        return storage.blobs();
    }

    public RecordIndex index() {
        return storage;
    }

    /**
     * Verifies and stores a bundle, streaming its payload (which must be exactly {@code filesize} bytes of
     * stored form, i.e. ciphertext for {@code crypt=1}).
     */
    public ImportResult importBundle(Manifest m, InputStream payload) {
        Prepared p = prepare(m, payload);
        if (p.result != ImportResult.IMPORTED) {
            return p.result;
        }
        Optional<Record> old = storage.get(m.idHex());
        storage.put(p.record);
        old.flatMap(Record::blob).ifPresent(this::dropIfUnreferenced);
        return ImportResult.IMPORTED;
    }

    /**
     * Imports many bundles with one SQLite transaction for all their manifests (payloads are still written
     * and fsynced one by one before it). Returns one result per bundle, in order. A BID that appears twice is
     * judged against the earlier one (the pending batch is committed first).
     */
    public List<ImportResult> importAll(List<Manifest> manifests, List<InputStream> payloads) {
        List<ImportResult> results = new ArrayList<>(manifests.size());
        List<Record> pending = new ArrayList<>();
        java.util.Set<String> pendingIds = new java.util.HashSet<>();
        List<BlobId> replaced = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            Manifest m = manifests.get(i);
            if (pendingIds.contains(m.idHex())) {
                storage.putAll(pending);
                pending.clear();
                pendingIds.clear();
            }
            Optional<Record> old = storage.get(m.idHex());
            Prepared p = prepare(m, payloads.get(i));
            results.add(p.result);
            if (p.result == ImportResult.IMPORTED) {
                pending.add(p.record);
                pendingIds.add(m.idHex());
                old.flatMap(Record::blob).ifPresent(replaced::add);
            }
        }
        if (!pending.isEmpty()) {
            storage.putAll(pending);
        }
        replaced.forEach(this::dropIfUnreferenced);
        return results;
    }

    private record Prepared(ImportResult result, Record record) {
    }

    private Prepared prepare(Manifest m, InputStream payload) {
        if (!m.verify(crypto)) {
            return new Prepared(ImportResult.BAD_SIGNATURE, null);
        }
        Optional<Manifest> existing = manifest(m.idHex());
        if (existing.isPresent() && Long.compareUnsigned(existing.get().version(), m.version()) >= 0) {
            return new Prepared(ImportResult.NOT_NEWER, null);
        }
        Optional<BlobId> blob = Optional.empty();
        if (m.filesize() > 0) {
            BlobId expected = BlobId.parse(m.filehash().orElseThrow());
            if (storage.blobs().contains(expected)) {
                drain(payload);
                blob = Optional.of(expected);
            } else {
                long written;
                BlobId id;
                try (BlobStore.BlobWriter w = storage.blobs().create()) {
                    written = copy(payload, w.stream(), m.filesize() + 1);
                    if (written != m.filesize()) {
                        return new Prepared(ImportResult.SIZE_MISMATCH, null);
                    }
                    id = w.commit();
                }
                if (!id.equals(expected)) {
                    dropIfUnreferenced(id);
                    return new Prepared(ImportResult.HASH_MISMATCH, null);
                }
                blob = Optional.of(id);
            }
        }
        return new Prepared(ImportResult.IMPORTED, new Record(m.idHex(), attributes(m), m.toBytes(), blob, 0));
    }

    private static Map<String, String> attributes(Manifest m) {
        Map<String, String> a = new HashMap<>();
        a.put(KIND, BUNDLE);
        m.service().ifPresent(s -> a.put("service", s));
        m.name().ifPresent(s -> a.put("name", s));
        m.sender().ifPresent(s -> a.put("sender", s));
        m.recipient().ifPresent(s -> a.put("recipient", s));
        a.put("synckey", HexFormat.of().formatHex(m.syncKey()));
        return a;
    }

    private void dropIfUnreferenced(BlobId id) {
        if (!storage.blobReferenced(id)) {
            storage.blobs().delete(id);
        }
    }

    private static long copy(InputStream in, OutputStream out, long max) {
        byte[] buf = new byte[65536];
        long total = 0;
        try {
            int n;
            while (total < max && (n = in.read(buf, 0, (int) Math.min(buf.length, max - total))) > 0) {
                out.write(buf, 0, n);
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("copying a payload failed: " + e.getMessage(), e);
        }
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored manifest of a BID (hex, either case). */
    public Optional<Manifest> manifest(String bidHex) {
        return storage.get(bidHex.toUpperCase(Locale.ROOT)).map(r -> Manifest.parse(r.body()));
    }

    /** The stored manifest whose sync key is {@code key8}, if its payload is present. */
    public Optional<Manifest> bySyncKey(byte[] key8) {
        return storage.query(Map.of("synckey", HexFormat.of().formatHex(key8), KIND, BUNDLE), 1).stream()
                .map(r -> Manifest.parse(r.body())).findFirst();
    }

    /** The stored payload bytes (ciphertext when encrypted) from {@code offset}; an empty stream for filesize 0. */
    public Optional<InputStream> payload(String bidHex, long offset) {
        Optional<Record> r = storage.get(bidHex.toUpperCase(Locale.ROOT));
        if (r.isEmpty()) {
            return Optional.empty();
        }
        if (r.get().blob().isEmpty()) {
            return Optional.of(new ByteArrayInputStream(new byte[0]));
        }
        return storage.blobs().open(r.get().blob().get(), offset);
    }

    /** Manifests whose attributes ({@code service, name, sender, recipient}) equal all given values, in change order. */
    public List<Manifest> list(Map<String, String> equalTo, int limit) {
        List<Manifest> out = new ArrayList<>();
        for (Record r : storage.query(normalise(equalTo), limit)) {
            out.add(Manifest.parse(r.body()));
        }
        return out;
    }

    private static Map<String, String> normalise(Map<String, String> q) {
        Map<String, String> m = new HashMap<>(q);
        m.put(KIND, BUNDLE);
        m.computeIfPresent("sender", (k, v) -> v.toUpperCase(Locale.ROOT));
        m.computeIfPresent("recipient", (k, v) -> v.toUpperCase(Locale.ROOT));
        return m;
    }

    /** A stored bundle's manifest with its change number. */
    public record Change(Manifest manifest, long change) {
    }

    /** Bundles stored or replaced after change number {@code since}, in change order. */
    public List<Change> changedSince(long since, int limit) {
        List<Change> out = new ArrayList<>();
        for (Record r : storage.changedSince(since, limit)) {
            if (BUNDLE.equals(r.attributes().get(KIND))) {
                out.add(new Change(Manifest.parse(r.body()), r.change()));
            }
        }
        return out;
    }

    /** The newest change number (0 for an empty store): pass it to {@link #changedSince} to see only later ones. */
    public long lastChange() {
        long since = 0;
        for (List<Record> page = storage.changedSince(since, 1000); !page.isEmpty();
             page = storage.changedSince(since, 1000)) {
            since = page.getLast().change();
        }
        return since;
    }

    /** How many bundles are stored. */
    public long count() {
        return storage.countWhere(KIND, BUNDLE);
    }

    /** Payload files that no manifest refers to (a crash between payload rename and manifest commit). */
    public List<BlobId> orphanPayloads() {
        return storage.orphanBlobs();
    }

    /**
     * Deletes payloads that no manifest refers to (left by a crash between payload and manifest commit). Scans
     * every payload: run it at maintenance time, while no import is in progress. Returns how many were removed.
     */
    public int removeOrphanPayloads() {
        List<BlobId> orphans = storage.orphanBlobs();
        orphans.forEach(storage.blobs()::delete);
        return orphans.size();
    }

    /**
     * Creates, signs and stores a new bundle (or the next version of an existing one) from a plain payload.
     *
     * @param base       fields to set (e.g. {@code service}, {@code name}); {@code id, version, filesize,
     *                   filehash, BK, date} are filled in
     * @param author     the author, whose Rhizome Secret makes {@code BK}; if it has none, no BK is written
     * @param keys       the bundle keys (new: {@link BundleKeys#generate})
     * @param payload    the payload, streamed once to a temporary blob
     * @param version    the version (servald uses the current time in ms for files)
     */
    public Manifest add(Map<String, String> base, RhizomeIdentity author, BundleKeys keys, InputStream payload, long version) {
        BlobId id;
        long size;
        try (BlobStore.BlobWriter w = storage.blobs().create()) {
            size = copy(payload, w.stream(), Long.MAX_VALUE);
            id = w.commit();
        }
        Manifest.Builder b = Manifest.builder();
        b.set("service", base.getOrDefault("service", "file"));
        b.set("version", version);
        b.set("id", HEX.formatHex(keys.bid()));
        if (author.rhizomeSecret().length == 32) {
            b.set("BK", HEX.formatHex(keys.bk(author.rhizomeSecret())));
        }
        b.set("date", System.currentTimeMillis());
        for (Map.Entry<String, String> e : base.entrySet()) {
            if (!e.getKey().equals("service")) {
                b.set(e.getKey(), e.getValue());
            }
        }
        b.set("filesize", size);
        if (size > 0) {
            b.set("filehash", id.toString());
        } else {
            b.remove("filehash");
            storage.blobs().delete(id);
        }
        Manifest m = b.sign(keys.secret(), crypto);
        if (m.length() > Manifest.MAX_SYNC_BYTES) {
            throw new RhizomeException("the manifest is " + m.length() + " bytes; servald can sync at most "
                    + Manifest.MAX_SYNC_BYTES + ": shorten the name or other fields");
        }
        ImportResult r = importBundle(m, payloadFor(size, id));
        if (r != ImportResult.IMPORTED) {
            throw new RhizomeException("storing the new bundle " + m.idHex() + " failed: " + r
                    + (r == ImportResult.NOT_NEWER ? " (the store has a newer version; pass a larger version)" : ""));
        }
        return m;
    }

    private InputStream payloadFor(long size, BlobId id) {
        return size == 0 ? new ByteArrayInputStream(new byte[0]) : storage.blobs().open(id).orElseThrow();
    }

    /**
     * Appends stored-form bytes to a journal bundle and stores the next version, signed with {@code keys}
     * ({@code serval-wire.md} §9.5: version = tail + filesize).
     */
    public Manifest appendJournal(Manifest current, BundleKeys keys, byte[] storedBytes) {
        if (!current.isJournal()) {
            throw new RhizomeException(current.idHex() + " is not a journal (no tail field); only journals can be appended to");
        }
        InputStream old = payload(current.idHex(), 0).orElseThrow(() -> new RhizomeException(
                "the payload of " + current.idHex() + " is missing; cannot append"));
        BlobId id;
        try (BlobStore.BlobWriter w = storage.blobs().create(); old) {
            copy(new SequenceInputStream(old, new ByteArrayInputStream(storedBytes)), w.stream(), Long.MAX_VALUE);
            id = w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long size = current.filesize() + storedBytes.length;
        Manifest m = current.toBuilder()
                .set("filesize", size)
                .set("version", current.tail().orElse(0) + size)
                .set("filehash", id.toString())
                .set("date", System.currentTimeMillis())
                .sign(keys.secret(), crypto);
        ImportResult r = importBundle(m, storage.blobs().open(id).orElseThrow());
        if (r != ImportResult.IMPORTED) {
            throw new RhizomeException("storing the appended journal " + m.idHex() + " failed: " + r);
        }
        return m;
    }

    @Override
    public void close() {
        storage.close();
        try {
            if (marker != null) {
                Files.deleteIfExists(marker);
            }
        } catch (java.io.IOException e) {
            // the next open scans for orphans once; nothing is lost
        }
    }
}
