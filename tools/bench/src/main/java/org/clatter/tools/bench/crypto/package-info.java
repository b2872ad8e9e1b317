/**
 * Crypto benchmarks for the {@code "bouncycastle"} provider ({@code modules/crypto}), each against the other
 * implementation measured in the same run: SHA-512 (JDK {@code MessageDigest} vs BouncyCastle digest), X25519
 * (BouncyCastle vs JDK {@code KeyAgreement}), Ed25519 sign and verify (BouncyCastle vs JDK {@code Signature}),
 * {@code crypto_box} with a precomputed key, seal and open of 64, 1,024 and 8,192 bytes (Clatter's
 * allocation-free composition vs BouncyCastle's {@code XSalsa20Engine} + {@code Poly1305} used the usual way),
 * and its two halves alone (Clatter's Poly1305 and Salsa20 keystream vs BouncyCastle's).
 * Every {@code @Setup} checks that the implementations agree byte for byte.
 */
package org.clatter.tools.bench.crypto;
