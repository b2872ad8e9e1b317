package org.clatter.rhizome.sync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.RhizomeStore;

/**
 * {@link SyncStore} over a {@link RhizomeStore}. Partly received payloads are kept in
 * {@link RhizomeStore#partialDirectory()} under their {@code filehash}, so a transfer that breaks off resumes
 * from the bytes held (also across restarts); the bundle is imported, crash-safely, only when complete.
 */
public final class RhizomeSyncStore implements SyncStore {
    private final RhizomeStore store;

    public RhizomeSyncStore(RhizomeStore store) {
        this.store = store;
    }

    @Override
    public List<Long> keys() {
        List<Long> out = new ArrayList<>();
        for (byte[] k : store.syncKeys()) {
            long v = 0;
            for (byte b : k) {
                v = (v << 8) | (b & 0xFF);
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public Optional<Manifest> bySyncKey(long key) {
        byte[] k = new byte[8];
        for (int i = 0; i < 8; i++) {
            k[i] = (byte) (key >>> (56 - 8 * i));
        }
        return store.bySyncKey(k);
    }

    @Override
    public Optional<Manifest> byBidPrefix(byte[] prefix15) {
        return store.byBidPrefix(prefix15);
    }

    @Override
    public Optional<InputStream> payload(Manifest m, long offset) {
        return store.payload(m.idHex(), offset);
    }

    /**
     * A journal's new version repeats the old one's bytes from its tail on: copy that overlap from the stored
     * previous version (stored offsets new.tail − old.tail up to old.filesize), so only the new bytes travel
     * ({@code serval-rhizome-sync.md} §13.3 step 6).
     */
    private void copyJournalOverlap(Manifest m, Path part) throws IOException {
        if (!m.isJournal()) {
            return;
        }
        Optional<Manifest> old = store.manifest(m.idHex());
        if (old.isEmpty() || !old.get().isJournal()) {
            return;
        }
        long oldTail = old.get().tail().orElse(0);
        long newTail = m.tail().orElse(0);
        long oldEnd = oldTail + old.get().filesize();
        if (oldTail > newTail || oldEnd <= newTail) {
            return;
        }
        long from = newTail - oldTail;
        long n = Math.min(old.get().filesize() - from, m.filesize());
        try (InputStream in = store.payload(m.idHex(), from).orElseThrow(); OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[65536];
            long left = n;
            int r;
            while (left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                out.write(buf, 0, r);
                left -= r;
            }
        }
    }

    @Override
    public Download begin(Manifest m) {
        if (m.filesize() == 0) {
            return new Download() {
                @Override
                public long written() {
                    return 0;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    throw new IllegalStateException("an empty payload takes no bytes");
                }

                @Override
                public boolean finish() {
                    return store.importBundle(m, new ByteArrayInputStream(new byte[0])) == RhizomeStore.ImportResult.IMPORTED;
                }

                @Override
                public void abort() {
                }
            };
        }
        try {
            Files.createDirectories(store.partialDirectory());
            Path part = store.partialDirectory().resolve(m.filehash().orElseThrow() + ".part");
            if (!Files.exists(part)) {
                copyJournalOverlap(m, part);
            }
            long have = Files.exists(part) ? Math.min(Files.size(part), m.filesize()) : 0;
            OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new Download() {
                private long written = have;
                private boolean open = true;

                @Override
                public long written() {
                    return written;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    try {
                        out.write(b, off, len);
                        written += len;
                    } catch (IOException e) {
                        throw new UncheckedIOException("writing partial payload " + part + " failed: " + e.getMessage(), e);
                    }
                }

                @Override
                public boolean finish() {
                    closeQuietly();
                    try (InputStream in = Files.newInputStream(part)) {
                        boolean ok = store.importBundle(m, in) == RhizomeStore.ImportResult.IMPORTED;
                        Files.deleteIfExists(part);
                        return ok;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void abort() {
                    closeQuietly();
                }

                private void closeQuietly() {
                    if (open) {
                        open = false;
                        try {
                            out.close();
                        } catch (IOException ignored) {
                            // the partial file is re-measured on resume
                        }
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a partial payload for " + m.idHex() + ": " + e.getMessage(), e);
        }
    }
}
