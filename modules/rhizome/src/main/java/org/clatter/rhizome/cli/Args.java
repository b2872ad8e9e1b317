package org.clatter.rhizome.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.keyring.Keyring;
import org.clatter.mdp.node.Instance;
import org.clatter.rhizome.RhizomeException;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.spi.crypto.Crypto;

/** Parsed command arguments: positionals, {@code --name value} options, and the instance directory. */
final class Args {
    /** servald's keyring dump format, the fallback when the instance has no Clatter keyring. */
    static final String DUMP = "identities.dump";
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

    /** {@code --pin PIN}, else {@code CLATTER_PIN}, else empty: the PIN that seals {@code keyring.clatter}. */
    String pin() {
        String pin = options.get("pin");
        if (pin == null) {
            pin = System.getenv("CLATTER_PIN");
        }
        return pin == null ? "" : pin;
    }

    /**
     * The identities of the instance: the node's Clatter keyring ({@code <instance>/keyring.clatter}, opened with
     * {@code pin}) when it exists, then those of {@code <instance>/identities.dump} (servald's keyring dump format)
     * that the keyring does not hold.
     *
     * @throws RhizomeException if the keyring does not open with {@code pin}
     */
    static List<RhizomeIdentity> identities(Path instance, Crypto crypto, String pin) {
        List<RhizomeIdentity> out = new ArrayList<>(keyringIdentities(instance, crypto, pin));
        Path f = instance.resolve(DUMP);
        if (!Files.exists(f)) {
            return out;
        }
        try {
            for (RhizomeIdentity i : RhizomeIdentity.parseKeyringDump(Files.readString(f))) {
                RhizomeIdentity d = i.withDerivedSid(crypto);
                if (RhizomeIdentity.bySid(out, d.sidHex()).isEmpty()) {
                    out.add(d);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** The identities of {@code <instance>/keyring.clatter}, none if there is no such file. */
    static List<RhizomeIdentity> keyringIdentities(Path instance, Crypto crypto, String pin) {
        Instance inst = new Instance(instance, pin.toCharArray());
        if (!Files.exists(inst.keyringFile())) {
            return List.of();
        }
        try {
            List<RhizomeIdentity> out = new ArrayList<>();
            for (Identity id : inst.loadKeyring(crypto).identities()) {
                out.add(RhizomeIdentity.fromMdp(id, crypto));
            }
            return out;
        } catch (MdpException e) {
            throw new RhizomeException(inst.keyringFile() + ": " + e.getMessage()
                    + "; give the keyring's PIN with --pin PIN or CLATTER_PIN", e);
        }
    }

    /**
     * The first identity (the keyring's primary, else the dump's first), creating one in a new
     * {@code keyring.clatter} (sealed with {@code pin}) if the instance has none, so the node that later runs on
     * this instance serves the same identity.
     */
    static RhizomeIdentity defaultIdentity(Path instance, Crypto crypto, String pin, java.io.PrintStream err) {
        List<RhizomeIdentity> ids = identities(instance, crypto, pin);
        if (!ids.isEmpty()) {
            return ids.getFirst();
        }
        Instance inst = new Instance(instance, pin.toCharArray());
        Identity created = Identity.generate(crypto, "", "");
        Keyring keyring = Files.exists(inst.keyringFile()) ? inst.loadKeyring(crypto) : new Keyring();
        keyring.add(created);
        try {
            inst.saveKeyring(keyring, crypto);
        } catch (MdpException e) {
            throw new RhizomeException("cannot create " + inst.keyringFile() + ": " + e.getMessage(), e);
        }
        RhizomeIdentity id = keyringIdentities(instance, crypto, pin).stream()
                .filter(i -> i.sidHex().equals(created.sid().toString())).findFirst().orElseThrow();
        err.println("created identity " + id.sidHex() + " in " + inst.keyringFile());
        return id;
    }

    static RhizomeIdentity identity(Path instance, Crypto crypto, String pin, String sid) {
        return RhizomeIdentity.bySid(identities(instance, crypto, pin), sid).orElseThrow(() -> new RhizomeException(
                "identity " + sid + " is neither in " + instance.resolve(Instance.KEYRING) + " (clatter keyring add)"
                        + " nor in " + instance.resolve(DUMP)
                        + " (servald keyring dump format: servald keyring dump --secret > identities.dump)"));
    }
}
