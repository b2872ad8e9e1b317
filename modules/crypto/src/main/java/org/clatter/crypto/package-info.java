/**
 * The {@code "bouncycastle"} {@link org.clatter.spi.crypto.CryptoProvider}: {@link
 * org.clatter.crypto.BouncyCastleCryptoProvider}. The {@link org.clatter.spi.crypto.Crypto} it creates keeps
 * preallocated scratch space, so create one per thread.
 */
package org.clatter.crypto;
