package org.clatter.tools.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.ServiceLoader;
import org.clatter.core.provider.ProviderStatus;
import org.clatter.core.provider.Providers;
import org.clatter.spi.crypto.CryptoProvider;
import org.clatter.spi.routing.RoutingProvider;
import org.clatter.spi.storage.StorageProvider;
import org.clatter.spi.transport.TransportProvider;

/** {@code clatter providers}: every provider of every SPI, available or not, and why not. */
final class ProvidersCommand {
    private ProvidersCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("usage: clatter providers");
            return Clatter.USAGE;
        }
        section(out, "transport", Providers.list(ServiceLoader.load(TransportProvider.class), TransportProvider.class));
        section(out, "crypto", Providers.list(ServiceLoader.load(CryptoProvider.class), CryptoProvider.class));
        section(out, "routing", Providers.list(ServiceLoader.load(RoutingProvider.class), RoutingProvider.class));
        section(out, "storage", Providers.list(ServiceLoader.load(StorageProvider.class), StorageProvider.class));
        return 0;
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
