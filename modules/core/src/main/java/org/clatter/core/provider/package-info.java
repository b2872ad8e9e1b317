/**
 * Provider selection for every Clatter SPI: {@link org.clatter.core.provider.Providers#select} picks the provider
 * named by configuration, else the best available one, else fails with a list of every candidate and why it
 * cannot be used; {@link org.clatter.core.provider.Providers#list} reports them all (for {@code clatter providers}).
 */
package org.clatter.core.provider;
