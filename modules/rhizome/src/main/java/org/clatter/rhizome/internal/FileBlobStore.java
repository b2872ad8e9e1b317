package org.clatter.rhizome.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.clatter.spi.storage.BlobId;
import org.clatter.spi.storage.BlobStore;
import org.clatter.spi.storage.StorageException;

/**
 * Content-addressed blob files: {@code <root>/XX/<128 hex>}. A blob is written to {@code <root>/tmp/PID-UUID.part},
 * fsynced, then renamed atomically into place, so it is visible whole or not at all. Leftover temporary files of
 * dead processes (a crash mid-write) are removed when the store opens; those of live processes are another
 * process's writes in progress (the node daemon and a {@code rhizome add} share the store) and are left alone.
 */
final class FileBlobStore implements BlobStore {
    /** Payloads up to this size live in SQLite (no file, no per-payload fsync); larger ones in files. */
    static final int SMALL = 16 * 1024;

    /** Where small blobs go: a table in the same SQLite database. */
    interface SmallBlobs {
        void put(BlobId id, byte[] data);

        Optional<byte[]> get(BlobId id);

        boolean delete(BlobId id);

        List<BlobId> list();
    }

    private final Path root;
    private final Path tmp;
    private final SmallBlobs small;

    FileBlobStore(Path root, SmallBlobs small) {
        this.root = root;
        this.small = small;
        this.tmp = root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
                for (Path p : ds) {
                    if (!writerIsLive(p.getFileName().toString())) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot prepare the blob directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** Whether a temporary file {@code PID-UUID.part} belongs to a live process (files without a pid never do). */
    static boolean writerIsLive(String name) {
        int dash = name.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(name.substring(0, dash))).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    Path path(BlobId id) {
        String hex = id.toString();
        return root.resolve(hex.substring(0, 2)).resolve(hex);
    }

    @Override
    public BlobWriter create() {
        return new SpillingWriter();
    }

    private FileWriterHolder openFile() {
        Path file = tmp.resolve(ProcessHandle.current().pid() + "-" + UUID.randomUUID() + ".part");
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            return new FileWriterHolder(new Writer(file, ch, md));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new StorageException("cannot create a blob in " + tmp + ": " + e.getMessage(), e);
        }
    }

    private record FileWriterHolder(Writer writer) {
    }

    /** Buffers in memory up to {@link #SMALL} bytes, then spills to a temporary file. */
    private final class SpillingWriter implements BlobWriter {
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        private Writer file;
        private boolean done;
        private final OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (file == null && buf.size() + len > SMALL) {
                    file = openFile().writer();
                    buf.writeTo(file.stream());
                    buf.reset();
                }
                if (file != null) {
                    file.stream().write(b, off, len);
                } else {
                    buf.write(b, off, len);
                }
            }
        };

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public BlobId commit() {
            if (done) {
                throw new StorageException("blob already committed or closed; start a new one with create()");
            }
            done = true;
            if (file != null) {
                return file.commit();
            }
            byte[] data = buf.toByteArray();
            try {
                BlobId id = BlobId.of(MessageDigest.getInstance("SHA-512").digest(data));
                small.put(id, data);
                return id;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (!done && file != null) {
                file.close();
            }
            done = true;
        }
    }

    private final class Writer implements BlobWriter {
        private final Path file;
        private final FileChannel ch;
        private final MessageDigest md;
        private final DigestOutputStream out;
        private boolean done;

        Writer(Path file, FileChannel ch, MessageDigest md) {
            this.file = file;
            this.ch = ch;
            this.md = md;
            OutputStream raw = Channels.newOutputStream(ch);
            this.out = new DigestOutputStream(new java.io.BufferedOutputStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    raw.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    raw.write(b, off, len);
                }

                @Override
                public void close() {
                    // the channel is closed by commit/close
                }
            }, 65536), md);
        }

        @Override
        public OutputStream stream() {
            return out;
        }

        @Override
        public BlobId commit() {
            if (done) {
                throw new StorageException("blob already committed or closed; start a new one with create()");
            }
            done = true;
            try {
                out.flush();
                ch.force(true);
                ch.close();
                BlobId id = BlobId.of(md.digest());
                Path target = path(id);
                Files.createDirectories(target.getParent());
                if (Files.exists(target)) {
                    Files.delete(file);
                } else {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                    syncDirectory(target.getParent());
                }
                return id;
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // best effort; the next open removes it
                }
                throw new StorageException("writing a blob under " + root + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                ch.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new StorageException("discarding " + file + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    @Override
    public Optional<InputStream> open(BlobId id) {
        return open(id, 0);
    }

    @Override
    public Optional<InputStream> open(BlobId id, long offset) {
        Optional<byte[]> s = small.get(id);
        if (s.isPresent()) {
            byte[] d = s.get();
            int o = (int) Math.min(offset, d.length);
            return Optional.of(new java.io.ByteArrayInputStream(d, o, d.length - o));
        }
        try {
            FileChannel ch = FileChannel.open(path(id), StandardOpenOption.READ);
            ch.position(offset);
            return Optional.of(Channels.newInputStream(ch));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read blob " + path(id) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(BlobId id) {
        return Files.exists(path(id)) || small.get(id).isPresent();
    }

    @Override
    public long size(BlobId id) {
        Optional<byte[]> s = small.get(id);
        if (s.isPresent()) {
            return s.get().length;
        }
        try {
            return Files.size(path(id));
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new StorageException("cannot stat blob " + path(id) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(BlobId id) {
        try {
            return small.delete(id) | Files.deleteIfExists(path(id));
        } catch (IOException e) {
            throw new StorageException("cannot delete blob " + path(id) + ": " + e.getMessage(), e);
        }
    }

    List<BlobId> list() {
        List<BlobId> out = new ArrayList<>(small.list());
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, p -> p.getFileName().toString().length() == 2)) {
            for (Path sub : ds) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(sub)) {
                    for (Path f : files) {
                        out.add(BlobId.parse(f.getFileName().toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list blobs in " + root + ": " + e.getMessage(), e);
        }
        return out;
    }
}
