package org.clatter.tools.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Optional;
import org.clatter.core.provider.ProviderStatus;
import org.clatter.core.provider.Providers;
import org.clatter.mdp.node.NodeDaemon;
import org.clatter.mdp.node.NodeService;
import org.clatter.spi.crypto.CryptoProvider;
import org.clatter.spi.provider.ProviderException;
import org.clatter.spi.provider.ServiceProvider;
import org.clatter.spi.routing.RoutingProvider;
import org.clatter.spi.storage.StorageProvider;
import org.clatter.spi.transport.TransportProvider;

/**
 * {@code clatter providers}: every provider of every SPI, available or not, and why not; then the node services
 * ({@link NodeService}) a node started from here runs.
 */
final class ProvidersCommand {
    private ProvidersCommand() {
    }

    static final String USAGE = "usage: clatter providers [--select SPI[=NAME]]\n"
            + "  SPI is transport, crypto, routing or storage. --select prints the provider that would be chosen\n"
            + "  (NAME, else the best available one), or why none can be, and exits 1 in that case.";

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 2 && args[0].equals("--select")) {
            return select(args[1], out, err);
        }
        if (args.length > 0) {
            err.println(USAGE);
            return Clatter.USAGE;
        }
        section(out, "transport", Providers.list(ServiceLoader.load(TransportProvider.class), TransportProvider.class));
        section(out, "crypto", Providers.list(ServiceLoader.load(CryptoProvider.class), CryptoProvider.class));
        section(out, "routing", Providers.list(ServiceLoader.load(RoutingProvider.class), RoutingProvider.class));
        section(out, "storage", Providers.list(ServiceLoader.load(StorageProvider.class), StorageProvider.class));
        nodeServices(out);
        return 0;
    }

    /** The services a node started here would run ({@code clatter start}); see {@link NodeService}. */
    private static void nodeServices(PrintStream out) {
        out.println("node services:");
        List<String> names = NodeDaemon.loadServices(out).stream()
                .map(s -> "  " + s.name() + " (" + s.getClass().getModule().getName() + ")").toList();
        if (names.isEmpty()) {
            out.println("  (none on the module path)");
        }
        names.forEach(out::println);
    }

    private static int select(String what, PrintStream out, PrintStream err) {
        int eq = what.indexOf('=');
        String spi = eq < 0 ? what : what.substring(0, eq);
        Optional<String> name = eq < 0 ? Optional.empty() : Optional.of(what.substring(eq + 1));
        try {
            ServiceProvider chosen = switch (spi) {
                case "transport" -> Providers.select(ServiceLoader.load(TransportProvider.class),
                        TransportProvider.class, name);
                case "crypto" -> Providers.select(ServiceLoader.load(CryptoProvider.class), CryptoProvider.class, name);
                case "routing" -> Providers.select(ServiceLoader.load(RoutingProvider.class), RoutingProvider.class,
                        name);
                case "storage" -> Providers.select(ServiceLoader.load(StorageProvider.class), StorageProvider.class,
                        name);
                default -> null;
            };
            if (chosen == null) {
                err.println(USAGE);
                return Clatter.USAGE;
            }
            out.println(spi + ": " + chosen.name() + " (" + chosen.getClass().getModule().getName() + ")");
            return 0;
        } catch (ProviderException e) {
            err.println(spi + ": " + e.getMessage());
            return 1;
        }
    }

    private static void section(PrintStream out, String spi, List<ProviderStatus> found) {
        out.println(spi + ":");
        if (found.isEmpty()) {
            out.println("  (none on the module path)");
        }
        for (ProviderStatus s : found) {
            out.println("  " + s.describe());
        }
    }
}
