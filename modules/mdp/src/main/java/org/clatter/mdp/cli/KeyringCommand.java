package org.clatter.mdp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.keyring.Keyring;
import org.clatter.mdp.keyring.KeyringDump;
import org.clatter.mdp.keyring.ServalKeyringFile;
import org.clatter.mdp.node.Instance;
import org.clatter.spi.crypto.Crypto;

/**
 * {@code clatter keyring add [--did D] [--name N]} (prints the new SID), {@code clatter keyring list}
 * ({@code SID:DID:NAME} lines) and {@code clatter keyring import FILE [--serval-pin P]} (servald's
 * {@code keyring dump --secret} text, or its binary keyring file unlocked with the identity PIN, empty by default).
 * All take {@code --instance DIR} and {@code --pin PIN} (the Clatter keyring's PIN).
 */
public final class KeyringCommand {
    private KeyringCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            return keyring(args, out, err);
        } catch (org.clatter.mdp.MdpException e) {
            err.println("clatter keyring: " + e.getMessage());
            return 1;
        }
    }

    private static int keyring(String[] args, PrintStream out, PrintStream err) {
        Args a = Args.parse(args, Set.of("instance", "pin", "did", "name", "serval-pin", "keyring-pin"));
        if (a.positional.isEmpty()) {
            err.println("usage: clatter keyring add [--did D] [--name N] | list | import FILE [--serval-pin P]");
            return 2;
        }
        Instance instance = a.instance();
        Crypto crypto = MdpCrypto.load();
        switch (a.positional.getFirst()) {
            case "add": {
                Keyring k = instance.loadKeyring(crypto);
                Identity id = Identity.generate(crypto, a.option("did").orElse(""), a.option("name").orElse(""));
                k.add(id);
                instance.saveKeyring(k, crypto);
                out.println(id.sid());
                return 0;
            }
            case "list": {
                for (Identity id : instance.loadKeyring(crypto).identities()) {
                    out.println(id.sid() + ":" + id.did() + ":" + id.name());
                }
                return 0;
            }
            case "import": {
                if (a.positional.size() < 2) {
                    err.println("usage: clatter keyring import FILE [--serval-pin P]");
                    return 2;
                }
                byte[] file;
                try {
                    file = Files.readAllBytes(Path.of(a.positional.get(1)));
                } catch (IOException e) {
                    err.println("clatter keyring import: cannot read " + a.positional.get(1) + ": " + e);
                    return 1;
                }
                List<Identity> ids = looksLikeDump(file)
                        ? KeyringDump.parse(new String(file, StandardCharsets.UTF_8), crypto)
                        : ServalKeyringFile.read(file, a.option("keyring-pin").orElse(""),
                                a.option("serval-pin").orElse(""), crypto);
                Keyring k = instance.loadKeyring(crypto);
                int added = k.addAll(ids);
                instance.saveKeyring(k, crypto);
                for (Identity id : ids) {
                    out.println(id.sid() + ":" + id.did() + ":" + id.name());
                }
                err.println("imported " + ids.size() + " identities (" + added + " new)");
                return ids.isEmpty() ? 1 : 0;
            }
            default:
                err.println("clatter keyring: unknown verb '" + a.positional.getFirst() + "' (add, list, import)");
                return 2;
        }
    }

    private static boolean looksLikeDump(byte[] file) {
        if (file.length % 4096 == 0 && file.length > 0) {
            return false;
        }
        for (int i = 0; i < Math.min(file.length, 512); i++) {
            int b = file[i] & 0xff;
            if (b < 9 || (b > 13 && b < 32) || b > 126) {
                return false;
            }
        }
        return true;
    }
}
