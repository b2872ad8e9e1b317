/**
 * The contract every Clatter service provider follows, whatever its area (transport, crypto, routing,
 * storage): a stateless {@link org.clatter.spi.provider.ServiceProvider} with a configuration key, an
 * availability check that explains itself, and a factory taking a {@link org.clatter.spi.provider.Config}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} by the module that consumes them and declared
 * only with {@code provides ... with} in their own {@code module-info.java}.
 */
module org.clatter.spi.provider {
    exports org.clatter.spi.provider;
}
