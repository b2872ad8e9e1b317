/**
 * Provider contract shared by all Clatter SPIs: {@link org.clatter.spi.provider.ServiceProvider},
 * {@link org.clatter.spi.provider.Config} and {@link org.clatter.spi.provider.ProviderException}.
 */
package org.clatter.spi.provider;
