package org.clatter.msp.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshNode;
import org.clatter.mdp.keyring.ClatterKeyringFile;
import org.clatter.mdp.keyring.Keyring;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspException;
import org.clatter.msp.mdp.MspNode;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportProvider;

/** A node run inside the command's process: identity from {@code --instance}, UDP links from {@code --interface}. */
final class InProcessNode implements AutoCloseable {
    /** The node options every msp command takes. */
    static final String USAGE = "[--instance DIR] --interface ADDR/PREFIX:PORT [--interface ...] [--peer ADDR:PORT ...]"
            + " [--servald-window]";

    final Transport transport;
    final MeshNode mesh;
    final MspNode msp;

    private InProcessNode(Transport transport, MeshNode mesh, MspNode msp) {
        this.transport = transport;
        this.mesh = mesh;
        this.msp = msp;
    }

    /** Parsed node options; the remaining (positional and command) arguments are left in {@code rest}. */
    static final class Options {
        Path instance;
        final List<String> interfaces = new ArrayList<>();
        final List<String> peers = new ArrayList<>();
        boolean servaldWindow;
        final List<String> rest = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--instance" -> o.instance = Path.of(value(args, ++i, a));
                    case "--interface" -> o.interfaces.add(value(args, ++i, a));
                    case "--peer" -> o.peers.add(value(args, ++i, a));
                    case "--servald-window" -> o.servaldWindow = true;
                    default -> o.rest.add(a);
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new MspException(option + " needs a value");
            }
            return args[i];
        }
    }

    static InProcessNode start(Options o) {
        if (o.interfaces.isEmpty()) {
            throw new MspException("no node is running in the instance and no interface was given: start one with"
                    + " `clatter start --interface udp:ADDR/PREFIX`, or give --interface ADDR/PREFIX:PORT (e.g."
                    + " 127.1.0.1/24:4110) to run a node in this command");
        }
        Crypto crypto = MdpCrypto.load();
        Identity id = identity(o.instance, crypto);
        TransportProvider udp = ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("udp") && p.isAvailable()).findFirst()
                .orElseThrow(() -> new MspException("no UDP transport provider (clatter-transport-udp) on the module"
                        + " path"));
        // Bulk streams send a window of 256 datagrams at once: the default 208 KiB socket buffers drop some.
        Transport t = udp.create(Config.of("udp.receive_buffer", "4194304", "udp.send_buffer", "4194304"));
        MeshNode node = new MeshNode(crypto, id, System.nanoTime());
        try {
            for (int i = 0; i < o.interfaces.size(); i++) {
                Link link = t.open(o.interfaces.get(i));
                List<LinkAddress> statics = new ArrayList<>();
                if (i == 0) {
                    for (String p : o.peers) {
                        statics.add(link.parseAddress(p));
                    }
                }
                node.addLink(link, statics);
            }
        } catch (RuntimeException e) {
            node.close();
            t.close();
            throw e;
        }
        MspNode msp = MspNode.on(node, o.servaldWindow ? MspConfig.servaldOnly() : MspConfig.defaults());
        node.start();
        return new InProcessNode(t, node, msp);
    }

    /** The instance's identity (a keyring made on first use), or a fresh one for this run. */
    private static Identity identity(Path instance, Crypto crypto) {
        if (instance == null) {
            return Identity.generate(crypto, "", "clatter-msp");
        }
        char[] pass = System.getenv().getOrDefault("CLATTER_KEYRING_PASSPHRASE", "").toCharArray();
        Path file = instance.resolve("keyring.clatter");
        try {
            if (Files.exists(file)) {
                return ClatterKeyringFile.load(file, pass, crypto).requirePrimary();
            }
            Files.createDirectories(instance);
            Identity id = Identity.generate(crypto, "", "clatter");
            ClatterKeyringFile.save(file, new Keyring(List.of(id)), pass, crypto);
            return id;
        } catch (java.io.IOException e) {
            throw new MspException("cannot use instance directory " + instance + ": " + e.getMessage(), e);
        }
    }

    Sid sid() {
        return mesh.sid();
    }

    /** Waits until {@code to} is reachable; false after {@code seconds}. */
    boolean awaitRoute(Sid to, double seconds) throws InterruptedException {
        return awaitRoute(() -> mesh.call(n -> mesh.engine().reachability(to).reachable()), seconds);
    }

    /** Polls {@code reachable} (run on a node's engine thread) until it says yes; false after {@code seconds}. */
    static boolean awaitRoute(java.util.function.Supplier<java.util.concurrent.CompletableFuture<Boolean>> reachable,
                              double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            try {
                if (reachable.get().get(2, TimeUnit.SECONDS)) {
                    return true;
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        msp.close();
        mesh.close();
        transport.close();
    }
}
