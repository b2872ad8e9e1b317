package org.clatter.rhizome.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clatter.rhizome.RhizomeException;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.spi.crypto.Crypto;

/** Parsed command arguments: positionals, {@code --name value} options, and the instance directory. */
final class Args {
    final List<String> positional = new ArrayList<>();
    final Map<String, String> options = new HashMap<>();

    /** Thrown for a malformed command line; the commands print the message and the usage and return 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Args parse(String[] args, String skipFirst) {
        Args a = new Args();
        int i = 0;
        if (args.length > 0 && args[0].equals(skipFirst)) {
            i = 1;
        }
        for (; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + args[i] + " needs a value");
                }
                a.options.put(args[i].substring(2), args[++i]);
            } else {
                a.positional.add(args[i]);
            }
        }
        return a;
    }

    String at(int i, String what) {
        if (i >= positional.size()) {
            throw new UsageException("missing " + what);
        }
        return positional.get(i);
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** {@code --instance DIR}, else {@code CLATTER_INSTANCE}. */
    Path instance() {
        String dir = options.get("instance");
        if (dir == null) {
            dir = System.getenv("CLATTER_INSTANCE");
        }
        if (dir == null || dir.isBlank()) {
            throw new UsageException("no instance directory: pass --instance DIR or set CLATTER_INSTANCE");
        }
        return Path.of(dir);
    }

    /** The identities of the instance: {@code <instance>/identities.dump}, in servald's keyring dump format. */
    static List<RhizomeIdentity> identities(Path instance, Crypto crypto) {
        Path f = instance.resolve("identities.dump");
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            List<RhizomeIdentity> out = new ArrayList<>();
            for (RhizomeIdentity i : RhizomeIdentity.parseKeyringDump(Files.readString(f))) {
                out.add(i.withDerivedSid(crypto));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** The first identity, creating one (and {@code identities.dump}) if the instance has none. */
    static RhizomeIdentity defaultIdentity(Path instance, Crypto crypto, java.io.PrintStream err) {
        List<RhizomeIdentity> ids = identities(instance, crypto);
        if (!ids.isEmpty()) {
            return ids.getFirst();
        }
        RhizomeIdentity id = RhizomeIdentity.generate(crypto);
        HexFormat h = HexFormat.of().withUpperCase();
        String dump = "0: type=0x06(CRYPTOCOMBINED)  pub=" + h.formatHex(id.signingId()) + h.formatHex(id.sid())
                + " sec=" + h.formatHex(id.seed()) + h.formatHex(id.signingId()) + h.formatHex(id.boxSecret()) + "\n"
                + "0: type=0x03(RHIZOME)  sec=" + h.formatHex(id.rhizomeSecret()) + "\n";
        try {
            Files.createDirectories(instance);
            Files.writeString(instance.resolve("identities.dump"), dump);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + instance.resolve("identities.dump") + ": " + e.getMessage(), e);
        }
        err.println("created identity " + id.sidHex() + " in " + instance.resolve("identities.dump"));
        return id;
    }

    static RhizomeIdentity identity(Path instance, Crypto crypto, String sid) {
        return RhizomeIdentity.bySid(identities(instance, crypto), sid).orElseThrow(() -> new RhizomeException(
                "identity " + sid + " is not in " + instance.resolve("identities.dump")
                        + " (servald keyring dump format: servald keyring dump --secret > identities.dump)"));
    }
}
