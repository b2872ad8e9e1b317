package org.clatter.rhizome.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.ManifestException;
import org.clatter.rhizome.PayloadCipher;
import org.clatter.rhizome.RhizomeException;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;

/**
 * {@code clatter rhizome ...}: add, list, extract, export and import bundles in a node's local store
 * ({@code <instance>/rhizome}). The instance comes from {@code --instance DIR} or {@code CLATTER_INSTANCE};
 * identities from the node's keyring {@code <instance>/keyring.clatter} (PIN from {@code --pin} or
 * {@code CLATTER_PIN}), else from {@code <instance>/identities.dump} (servald keyring dump format).
 *
 * <pre>
 *   rhizome add file PATH [--service S] [--name N]
 *   rhizome list [--service S] [--name N] [--sender SID] [--recipient SID]
 *   rhizome extract file BID PATH
 *   rhizome export DIR          (BID.manifest + BID.payload per bundle: a folder for a USB stick)
 *   rhizome import DIR
 *   rhizome sync --interface udp:ADDR/PREFIX[:PORT] [--peer ADDR[:PORT]] [--seconds N]
 *                               (an MDP node in this process syncing the store with its neighbours)
 * </pre>
 */
public final class RhizomeCommand {
    static final String USAGE = """
            usage: clatter rhizome add file PATH [--service S] [--name N]
                   clatter rhizome list [--service S] [--name N] [--sender SID] [--recipient SID]
                   clatter rhizome extract file BID PATH
                   clatter rhizome export DIR
                   clatter rhizome import DIR
                   clatter rhizome sync --interface udp:ADDR/PREFIX[:PORT] [--peer ADDR[:PORT]] [--seconds N]
            options: --instance DIR (or CLATTER_INSTANCE), --pin PIN (or CLATTER_PIN) for <instance>/keyring.clatter""";

    private RhizomeCommand() {
    }

    /** Runs the command; {@code args} may start with {@code "rhizome"}. Returns 0 on success, 1 on failure, 2 on bad usage. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(args, "rhizome");
            String verb = a.at(0, "a subcommand (add, list, extract, export, import, sync)");
            return switch (verb) {
                case "add" -> add(a, out, err);
                case "list" -> list(a, out);
                case "extract" -> extract(a, out);
                case "export" -> export(a, out, err);
                case "import" -> importDir(a, out, err);
                case "sync" -> SyncCommand.run(a, out, err);
                default -> throw new Args.UsageException("unknown subcommand '" + verb + "'");
            };
        } catch (Args.UsageException e) {
            err.println("clatter rhizome: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (RhizomeException | UncheckedIOException | org.clatter.spi.storage.StorageException e) {
            err.println("clatter rhizome: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("clatter rhizome: interrupted");
            return 1;
        }
    }

    private static int add(Args a, PrintStream out, PrintStream err) {
        if (!a.at(1, "'file'").equals("file")) {
            throw new Args.UsageException("expected 'add file PATH'");
        }
        Path file = Path.of(a.at(2, "PATH"));
        if (!Files.isRegularFile(file)) {
            throw new RhizomeException("no such file: " + file);
        }
        Path inst = a.instance();
        try (RhizomeStore store = RhizomeStore.open(inst); InputStream payload = Files.newInputStream(file)) {
            RhizomeIdentity author = Args.defaultIdentity(inst, store.crypto(), a.pin(), err);
            Map<String, String> fields = new HashMap<>();
            fields.put("service", a.option("service").orElse("file"));
            fields.put("name", a.option("name").orElse(file.getFileName().toString()));
            Manifest m = store.add(fields, author, BundleKeys.generate(store.crypto()), payload, System.currentTimeMillis());
            out.println(line(m));
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String line(Manifest m) {
        return m.idHex() + "\t" + Long.toUnsignedString(m.version()) + "\t" + Long.toUnsignedString(m.filesize()) + "\t"
                + m.service().orElse("") + "\t" + m.name().orElse("");
    }

    private static int list(Args a, PrintStream out) {
        Map<String, String> q = new HashMap<>();
        for (String k : List.of("service", "name", "sender", "recipient")) {
            a.option(k).ifPresent(v -> q.put(k, v));
        }
        try (RhizomeStore store = RhizomeStore.open(a.instance())) {
            if (!q.isEmpty()) {
                for (Manifest m : store.list(q, Integer.MAX_VALUE)) {
                    out.println(line(m));
                }
                return 0;
            }
            // page through everything in change order, so a million bundles never sit in memory at once
            long since = 0;
            for (List<RhizomeStore.Change> page = store.changedSince(since, 1000); !page.isEmpty();
                 page = store.changedSince(since, 1000)) {
                for (RhizomeStore.Change c : page) {
                    out.println(line(c.manifest()));
                }
                since = page.getLast().change();
            }
            return 0;
        }
    }

    private static int extract(Args a, PrintStream out) {
        if (!a.at(1, "'file'").equals("file")) {
            throw new Args.UsageException("expected 'extract file BID PATH'");
        }
        String bid = a.at(2, "BID");
        Path dest = Path.of(a.at(3, "PATH"));
        Path inst = a.instance();
        try (RhizomeStore store = RhizomeStore.open(inst)) {
            Manifest m = store.manifest(bid).orElseThrow(() -> new RhizomeException("no bundle " + bid + " in the store; see 'clatter rhizome list'"));
            InputStream raw = store.payload(m.idHex(), 0).orElseThrow(() -> new RhizomeException("the payload of " + bid + " is missing"));
            InputStream plain = raw;
            if (m.encrypted()) {
                plain = new PayloadCipher(payloadKey(m, Args.identities(inst, store.crypto(), a.pin()), store), m, store.crypto()).decrypting(raw);
            }
            Path tmp = dest.resolveSibling(dest.getFileName() + ".part");
            try (InputStream p = plain; OutputStream o = Files.newOutputStream(tmp)) {
                p.transferTo(o);
            }
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
            out.println(line(m));
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dest + ": " + e.getMessage(), e);
        }
    }

    private static byte[] payloadKey(Manifest m, List<RhizomeIdentity> ids, RhizomeStore store) {
        if (m.recipient().isPresent()) {
            for (RhizomeIdentity id : ids) {
                if (id.sidHex().equalsIgnoreCase(m.recipient().get()) || m.sender().map(id.sidHex()::equalsIgnoreCase).orElse(false)) {
                    return PayloadCipher.key(m, id, store.crypto());
                }
            }
            throw new RhizomeException("the payload of " + m.idHex() + " is encrypted for " + m.recipient().get()
                    + "; none of this instance's identities is its sender or recipient");
        }
        for (RhizomeIdentity id : ids) {
            Optional<BundleKeys> k = BundleKeys.recover(m, id.rhizomeSecret(), store.crypto());
            if (k.isPresent()) {
                return PayloadCipher.key(m, k.get());
            }
        }
        throw new RhizomeException("the payload of " + m.idHex() + " is encrypted with its bundle secret, which no identity here can recover");
    }

    private static int export(Args a, PrintStream out, PrintStream err) {
        Path dir = Path.of(a.at(1, "DIR"));
        try (RhizomeStore store = RhizomeStore.open(a.instance())) {
            Files.createDirectories(dir);
            Progress progress = new Progress(err, "export", store.count());
            long since = 0;
            long n = 0;
            while (true) {
                List<RhizomeStore.Change> page = store.changedSince(since, 500);
                if (page.isEmpty()) {
                    break;
                }
                for (RhizomeStore.Change c : page) {
                    Manifest m = c.manifest();
                    Path payload = dir.resolve(m.idHex() + ".payload");
                    try (InputStream in = store.payload(m.idHex(), 0).orElse(new ByteArrayInputStream(new byte[0]))) {
                        Files.copy(in, payload, StandardCopyOption.REPLACE_EXISTING);
                    }
                    // the manifest goes last: an importer ignores a payload without its manifest
                    Files.write(dir.resolve(m.idHex() + ".manifest"), m.toBytes());
                    progress.update(++n);
                }
                since = page.getLast().change();
            }
            out.println("exported " + n + " bundles to " + dir);
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int importDir(Args a, PrintStream out, PrintStream err) {
        Path dir = Path.of(a.at(1, "DIR"));
        List<Path> manifests = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.manifest")) {
            ds.forEach(manifests::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        manifests.sort(null);
        Map<RhizomeStore.ImportResult, Integer> results = new java.util.TreeMap<>();
        int bad = 0;
        try (RhizomeStore store = RhizomeStore.open(a.instance())) {
            Progress progress = new Progress(err, "import", manifests.size());
            int n = 0;
            for (Path mf : manifests) {
                try {
                    Manifest m = Manifest.parse(Files.readAllBytes(mf));
                    Path payload = mf.resolveSibling(mf.getFileName().toString().replace(".manifest", ".payload"));
                    try (InputStream in = m.filesize() == 0 ? new ByteArrayInputStream(new byte[0]) : Files.newInputStream(payload)) {
                        results.merge(store.importBundle(m, in), 1, Integer::sum);
                    }
                } catch (ManifestException e) {
                    err.println("\nskipping " + mf + ": " + e.getMessage());
                    bad++;
                } catch (IOException e) {
                    err.println("\nskipping " + mf + ": " + e.getMessage());
                    bad++;
                }
                progress.update(++n);
            }
        }
        out.println("imported " + results.getOrDefault(RhizomeStore.ImportResult.IMPORTED, 0) + " of " + manifests.size()
                + " bundles from " + dir + " " + results + (bad > 0 ? ", " + bad + " unreadable" : ""));
        return 0;
    }
}
