package org.clatter.spi.provider;

import java.util.Optional;

/**
 * What every provider of every Clatter SPI says about itself.
 *
 * <p>A provider is stateless and cheap to construct: {@link java.util.ServiceLoader} may instantiate it only
 * to list it (as {@code clatter providers} does). The runtime object comes from the SPI-specific
 * {@code create(Config)} method. Selection: an explicit configuration key names a provider by
 * {@link #name()}; else the available provider with the highest {@link #priority()} wins; else the caller
 * reports every candidate with its {@link #unavailabilityCause()}.
 */
public interface ServiceProvider {

    /** The configuration key of this provider, e.g. {@code "udp"}; lower case, unique within its SPI. */
    String name();

    /** A one-line human description, shown by {@code clatter providers}. */
    default String description() {
        return name();
    }

    /**
     * Whether {@code create} can succeed on this machine (libraries present, hardware there, permissions).
     * Must not throw.
     */
    boolean isAvailable();

    /** Why the provider is unavailable; empty when {@link #isAvailable()} is true. */
    Optional<String> unavailabilityCause();

    /** Preference among available providers of one SPI when none is named; higher wins. */
    default int priority() {
        return 0;
    }
}
