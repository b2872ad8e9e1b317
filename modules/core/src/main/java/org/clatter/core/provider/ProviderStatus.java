package org.clatter.core.provider;

import java.util.Optional;

/**
 * One provider as found by {@link java.util.ServiceLoader}, or one that failed to load.
 *
 * @param spi         the service type's simple name, e.g. {@code TransportProvider}
 * @param name        the provider's configuration key, or its class name when it could not be instantiated
 * @param description the provider's own description, or the loading error
 * @param module      the module that declares it
 * @param available   whether it can be used now
 * @param cause       why it cannot be used (empty when available)
 * @param priority    its preference among available providers
 */
public record ProviderStatus(String spi, String name, String description, String module, boolean available,
                             Optional<String> cause, int priority) {

    /** {@code udp  available  (org.clatter.transport.udp)} or with the reason. */
    public String describe() {
        return available
                ? name + "\tavailable\t" + description + " (" + module + ")"
                : name + "\tunavailable: " + cause.orElse("unknown") + " (" + module + ")";
    }
}
