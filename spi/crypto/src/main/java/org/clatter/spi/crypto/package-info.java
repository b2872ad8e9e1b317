/** Crypto service interfaces: {@link org.clatter.spi.crypto.CryptoProvider} and {@link org.clatter.spi.crypto.Crypto}. */
package org.clatter.spi.crypto;
