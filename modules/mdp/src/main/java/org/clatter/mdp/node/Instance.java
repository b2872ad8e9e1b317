package org.clatter.mdp.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.keyring.ClatterKeyringFile;
import org.clatter.mdp.keyring.Keyring;
import org.clatter.spi.crypto.Crypto;

/**
 * A node's instance directory ({@code --instance DIR}, else {@code CLATTER_INSTANCE}, else {@code ~/.clatter}):
 * the keyring file {@code keyring.clatter} (its secrets sealed with the PIN, empty by default), the pid file
 * {@code clatter.pid}, the log {@code clatter.log} and the control socket {@code clatter.sock}.
 */
public record Instance(Path dir, char[] pin) {
    public static final String KEYRING = "keyring.clatter";

    /** Resolves the directory and PIN from the options (may be null) and the environment. */
    public static Instance resolve(String instanceOption, String pinOption, Map<String, String> env) {
        String d = instanceOption != null ? instanceOption : env.get("CLATTER_INSTANCE");
        Path dir = d != null && !d.isEmpty() ? Path.of(d)
                : Path.of(System.getProperty("user.home"), ".clatter");
        String pin = pinOption != null ? pinOption : env.getOrDefault("CLATTER_PIN", "");
        return new Instance(dir.toAbsolutePath(), pin.toCharArray());
    }

    public Path keyringFile() {
        return dir.resolve(KEYRING);
    }

    public Path pidFile() {
        return dir.resolve("clatter.pid");
    }

    public Path logFile() {
        return dir.resolve("clatter.log");
    }

    public Path controlSocket() {
        return dir.resolve("clatter.sock");
    }

    public void create() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MdpException("cannot create the instance directory " + dir + ": " + e.getMessage()
                    + "; choose another with --instance DIR", e);
        }
    }

    /** The keyring, empty when there is no keyring file yet. */
    public Keyring loadKeyring(Crypto crypto) {
        if (!Files.exists(keyringFile())) {
            return new Keyring();
        }
        return ClatterKeyringFile.load(keyringFile(), pin, crypto);
    }

    public void saveKeyring(Keyring keyring, Crypto crypto) {
        create();
        ClatterKeyringFile.save(keyringFile(), keyring, pin, crypto);
    }

    /** The pid in the pid file, if any. */
    public Optional<Long> pid() {
        try {
            return Files.exists(pidFile()) ? Optional.of(Long.parseLong(Files.readString(pidFile()).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void writePid(long pid) {
        try {
            create();
            Files.writeString(pidFile(), pid + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
