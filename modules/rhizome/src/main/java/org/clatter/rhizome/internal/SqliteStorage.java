package org.clatter.rhizome.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.clatter.spi.storage.BlobId;
import org.clatter.spi.storage.BlobStore;
import org.clatter.spi.storage.KeyringStore;
import org.clatter.spi.storage.RecordIndex;
import org.clatter.spi.storage.Storage;
import org.clatter.spi.storage.StorageException;
import org.sqlite.SQLiteConfig;

/**
 * SQLite-backed {@link Storage}.
 *
 * <pre>
 *   rhizome.db   records(change INTEGER PRIMARY KEY, id TEXT UNIQUE, body BLOB, blob TEXT, attrs TEXT)
 *                attrs(name, value, change) PRIMARY KEY (name, value, change) WITHOUT ROWID  -- query index
 *                small_blobs(id TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID  -- payloads up to 16 KiB
 *   blobs/XX/    one file per payload, named by its SHA-512; blobs/tmp/ holds writes in progress
 *   keyring      the encrypted keyring, replaced by rename
 * </pre>
 *
 * A record's change number is its rowid, so "changed since" is a primary-key range scan and attribute queries
 * come out of the {@code attrs} index already in change order. A record also keeps its attributes as text in
 * its own row, so reading a record touches one row and replacing it deletes its old index entries by key. Replacing a record deletes the old row and
 * inserts a new one in one transaction. Blobs are written to a temporary file, fsynced and renamed before the
 * record that points at them is committed, so a crash leaves the whole bundle or none of it (at worst an
 * unreferenced blob, which {@link #orphanBlobs()} lists).
 */
public final class SqliteStorage implements Storage, RecordIndex, KeyringStore, FileBlobStore.SmallBlobs {
    private final Path dir;
    private final Connection db;
    private final FileBlobStore blobs;
    private long lastChange;
    private boolean closed;

    private SqliteStorage(Path dir, Connection db) throws SQLException {
        this.dir = dir;
        this.db = db;
        this.blobs = new FileBlobStore(dir.resolve("blobs"), this);
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS records(change INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                    + "body BLOB NOT NULL, blob TEXT, attrs TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS attrs(name TEXT NOT NULL, value TEXT NOT NULL, change INTEGER NOT NULL, "
                    + "PRIMARY KEY(name, value, change)) WITHOUT ROWID");
            s.execute("CREATE TABLE IF NOT EXISTS small_blobs(id TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID");
            s.execute("CREATE INDEX IF NOT EXISTS records_blob ON records(blob) WHERE blob IS NOT NULL");
            s.execute("CREATE TABLE IF NOT EXISTS writer(k INTEGER PRIMARY KEY, pid INTEGER NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(change), 0) FROM records")) {
                rs.next();
                lastChange = rs.getLong(1);
            }
        }
        db.setAutoCommit(false);
    }

    /** Opens or creates the store in {@code dir}. */
    public static SqliteStorage open(Path dir) {
        try {
            Files.createDirectories(dir);
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
            cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            cfg.setBusyTimeout(10_000);
            // 64 MiB of page cache: a million-bundle index inserts into several B-trees with random keys
            cfg.setCacheSize(-65_536);
            Connection c = cfg.createConnection("jdbc:sqlite:" + dir.resolve("rhizome.db").toAbsolutePath());
            return new SqliteStorage(dir, c);
        } catch (IOException | SQLException e) {
            throw new StorageException("cannot open the SQLite store in " + dir + ": " + e.getMessage()
                    + " (is the directory writable and not used by another process?)", e);
        }
    }

    @Override
    public BlobStore blobs() {
        return blobs;
    }

    @Override
    public RecordIndex index() {
        return this;
    }

    @Override
    public KeyringStore keyring() {
        return this;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            db.close();
        } catch (SQLException e) {
            throw new StorageException("closing " + dir.resolve("rhizome.db") + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long put(Record record) {
        return putAll(List.of(record));
    }

    /** Inserts or replaces many records in one transaction (the fast path for bulk imports); returns the last change number. */
    public synchronized long putAll(List<Record> records) {
        try (PreparedStatement sel = db.prepareStatement("SELECT change, body, blob, attrs FROM records WHERE id = ?");
             PreparedStatement delAll = db.prepareStatement("DELETE FROM records WHERE id = ?");
             PreparedStatement ins = db.prepareStatement("INSERT INTO records(change, id, body, blob, attrs) VALUES (?,?,?,?,?)");
             PreparedStatement insAttr = db.prepareStatement("INSERT INTO attrs(name, value, change) VALUES (?,?,?)");
             PreparedStatement delAttrRows = db.prepareStatement("DELETE FROM attrs WHERE name = ? AND value = ? AND change = ?")) {
            long change = Math.max(lastChange, lockForWriting());
            for (Record r : records) {
                Optional<Record> old = getLocked(sel, r.id());
                if (old.isPresent()) {
                    for (Map.Entry<String, String> a : old.get().attributes().entrySet()) {
                        delAttrRows.setString(1, a.getKey());
                        delAttrRows.setString(2, a.getValue());
                        delAttrRows.setLong(3, old.get().change());
                        delAttrRows.addBatch();
                    }
                    delAttrRows.executeBatch();
                    delAll.setString(1, r.id());
                    delAll.executeUpdate();
                }
                change++;
                ins.setLong(1, change);
                ins.setString(2, r.id());
                ins.setBytes(3, r.body());
                ins.setString(4, r.blob().map(BlobId::toString).orElse(null));
                ins.setString(5, encodeAttributes(r.attributes()));
                ins.executeUpdate();
                for (Map.Entry<String, String> a : r.attributes().entrySet()) {
                    insAttr.setString(1, a.getKey());
                    insAttr.setString(2, a.getValue());
                    insAttr.setLong(3, change);
                    insAttr.addBatch();
                }
                insAttr.executeBatch();
            }
            db.commit();
            lastChange = change;
            return change;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("writing records to " + dir.resolve("rhizome.db") + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Takes the database's write lock at the start of a transaction (a write before any read, so SQLite's busy
     * timeout applies instead of a stale-snapshot failure) and returns the highest change number, which another
     * process sharing the store (the node daemon and a {@code rhizome add}) may have raised since this one
     * last wrote.
     */
    private long lockForWriting() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.executeUpdate("INSERT OR REPLACE INTO writer(k, pid) VALUES (1, " + ProcessHandle.current().pid() + ")");
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(change), 0) FROM records")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Optional<Record> getLocked(PreparedStatement sel, String id) throws SQLException {
        sel.setString(1, id);
        try (ResultSet rs = sel.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Record(id, decodeAttributes(rs.getString(4)), rs.getBytes(2),
                    Optional.ofNullable(rs.getString(3)).map(BlobId::parse), rs.getLong(1)));
        }
    }

    /** Attributes as {@code name TAB value LF} lines, with backslash, tab and LF escaped. */
    static String encodeAttributes(Map<String, String> attrs) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> a : new TreeMap<>(attrs).entrySet()) {
            escape(b, a.getKey());
            b.append('\t');
            escape(b, a.getValue());
            b.append('\n');
        }
        return b.toString();
    }

    private static void escape(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
    }

    static Map<String, String> decodeAttributes(String text) {
        Map<String, String> m = new HashMap<>();
        StringBuilder cur = new StringBuilder();
        String name = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                cur.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else if (c == '\t') {
                name = cur.toString();
                cur.setLength(0);
            } else if (c == '\n') {
                m.put(name, cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        return m;
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next call reports it
        }
    }

    @Override
    public synchronized Optional<Record> get(String id) {
        try (PreparedStatement sel = db.prepareStatement("SELECT change, body, blob, attrs FROM records WHERE id = ?")) {
            Optional<Record> r = getLocked(sel, id);
            db.commit();
            return r;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("reading " + id + " from " + dir.resolve("rhizome.db") + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean delete(String id) {
        try (PreparedStatement sel = db.prepareStatement("SELECT change, body, blob, attrs FROM records WHERE id = ?");
             PreparedStatement da = db.prepareStatement("DELETE FROM attrs WHERE name = ? AND value = ? AND change = ?");
             PreparedStatement dr = db.prepareStatement("DELETE FROM records WHERE id = ?")) {
            Optional<Record> old = getLocked(sel, id);
            if (old.isEmpty()) {
                db.commit();
                return false;
            }
            for (Map.Entry<String, String> a : old.get().attributes().entrySet()) {
                da.setString(1, a.getKey());
                da.setString(2, a.getValue());
                da.setLong(3, old.get().change());
                da.executeUpdate();
            }
            dr.setString(1, id);
            dr.executeUpdate();
            db.commit();
            return true;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("deleting " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<Record> query(Map<String, String> equalTo, int limit) {
        StringBuilder sql = new StringBuilder();
        List<String> args = new ArrayList<>();
        // "kind" (present on every bundle) is the least selective attribute: test it last, drive by the others
        TreeMap<String, String> conds = new TreeMap<>(Comparator.comparing((String k) -> k.equals("kind")).thenComparing(k -> k));
        conds.putAll(equalTo);
        if (conds.isEmpty()) {
            sql.append("SELECT r.change, r.id, r.body, r.blob, r.attrs FROM records r ORDER BY r.change LIMIT ?");
        } else {
            var first = conds.pollFirstEntry();
            sql.append("SELECT r.change, r.id, r.body, r.blob, r.attrs FROM attrs a JOIN records r ON r.change = a.change "
                    + "WHERE a.name = ? AND a.value = ?");
            args.add(first.getKey());
            args.add(first.getValue());
            for (var c : conds.entrySet()) {
                sql.append(" AND EXISTS (SELECT 1 FROM attrs b WHERE b.name = ? AND b.value = ? AND b.change = a.change)");
                args.add(c.getKey());
                args.add(c.getValue());
            }
            sql.append(" ORDER BY a.change LIMIT ?");
        }
        return select(sql.toString(), args, limit, -1);
    }

    @Override
    public synchronized List<Record> changedSince(long changeNumber, int limit) {
        return select("SELECT change, id, body, blob, attrs FROM records WHERE change > ? ORDER BY change LIMIT ?", List.of(), limit, changeNumber);
    }

    /** Records whose blob is {@code id}. */
    public synchronized boolean blobReferenced(BlobId id) {
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM records WHERE blob = ? LIMIT 1")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                boolean b = rs.next();
                db.commit();
                return b;
            }
        } catch (SQLException e) {
            rollback();
            throw new StorageException("blob lookup failed: " + e.getMessage(), e);
        }
    }

    private List<Record> select(String sql, List<String> args, int limit, long since) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            int i = 1;
            if (since >= 0) {
                ps.setLong(i++, since);
            }
            for (String a : args) {
                ps.setString(i++, a);
            }
            ps.setInt(i, Math.max(0, limit));
            List<Record> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Record(rs.getString(2), decodeAttributes(rs.getString(5)), rs.getBytes(3),
                            Optional.ofNullable(rs.getString(4)).map(BlobId::parse), rs.getLong(1)));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("query on " + dir.resolve("rhizome.db") + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long count() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM records")) {
            rs.next();
            long n = rs.getLong(1);
            db.commit();
            return n;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("count failed: " + e.getMessage(), e);
        }
    }

    /** The body of the first record whose id starts with {@code prefix} (ids compare as upper-case hex text). */
    public synchronized Optional<byte[]> firstBodyWithIdPrefix(String prefix) {
        try (PreparedStatement ps = db.prepareStatement("SELECT body FROM records WHERE id >= ? AND id < ? ORDER BY id LIMIT 1")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix + "~");
            try (ResultSet rs = ps.executeQuery()) {
                Optional<byte[]> r = rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                db.commit();
                return r;
            }
        } catch (SQLException e) {
            rollback();
            throw new StorageException("prefix lookup failed: " + e.getMessage(), e);
        }
    }

    /** Every value of attribute {@code name} (from the index alone; no record bodies are read). */
    public synchronized List<String> attributeValues(String name) {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM attrs WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("listing " + name + " values failed: " + e.getMessage(), e);
        }
    }

    /** How many records have attribute {@code name} equal to {@code value}. */
    public synchronized long countWhere(String name, String value) {
        try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM attrs WHERE name = ? AND value = ?")) {
            ps.setString(1, name);
            ps.setString(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                db.commit();
                return n;
            }
        } catch (SQLException e) {
            rollback();
            throw new StorageException("count failed: " + e.getMessage(), e);
        }
    }

    /** Blobs on disk that no record refers to (left by a crash between the blob rename and the record commit). */
    public List<BlobId> orphanBlobs() {
        List<BlobId> out = new ArrayList<>();
        for (BlobId id : blobs.list()) {
            if (!blobReferenced(id)) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public synchronized void put(BlobId id, byte[] data) {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO small_blobs(id, data) VALUES (?, ?)")) {
            ps.setString(1, id.toString());
            ps.setBytes(2, data);
            ps.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new StorageException("storing a small payload in " + dir.resolve("rhizome.db") + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<byte[]> get(BlobId id) {
        try (PreparedStatement ps = db.prepareStatement("SELECT data FROM small_blobs WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                Optional<byte[]> r = rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                db.commit();
                return r;
            }
        } catch (SQLException e) {
            rollback();
            throw new StorageException("reading a small payload failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean delete(BlobId id) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM small_blobs WHERE id = ?")) {
            ps.setString(1, id.toString());
            boolean d = ps.executeUpdate() > 0;
            db.commit();
            return d;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("deleting a small payload failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<BlobId> list() {
        List<BlobId> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM small_blobs")) {
            while (rs.next()) {
                out.add(BlobId.parse(rs.getString(1)));
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            rollback();
            throw new StorageException("listing small payloads failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> load() {
        Path p = dir.resolve("keyring");
        try {
            return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read the keyring " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(byte[] encryptedKeyring) {
        Path p = dir.resolve("keyring");
        Path tmp = dir.resolve("keyring.tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(encryptedKeyring));
                ch.force(true);
            }
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the keyring " + p + ": " + e.getMessage(), e);
        }
    }
}
