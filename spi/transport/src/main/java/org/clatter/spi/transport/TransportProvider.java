package org.clatter.spi.transport;

import org.clatter.spi.provider.Config;
import org.clatter.spi.provider.ServiceProvider;

/**
 * Creates transports of one kind ({@link #name()}: {@code "udp"}, {@code "sim"}, {@code "serial"}, ...).
 * Declared with {@code provides org.clatter.spi.transport.TransportProvider with ...} in the plugin's
 * module descriptor; must have a public no-argument constructor and be stateless.
 */
public interface TransportProvider extends ServiceProvider {

    /**
     * Creates the runtime transport.
     *
     * @throws TransportException when the configuration is wrong or the medium cannot be used; the message
     *         says which setting or resource is at fault
     */
    Transport create(Config config);
}
