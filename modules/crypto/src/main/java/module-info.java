/**
 * Clatter's default crypto provider, {@code "bouncycastle"}: NaCl-compatible primitives for Serval and the rest
 * of Clatter.
 *
 * <p>Ed25519 and X25519 come from BouncyCastle's low-level, array-and-offset APIs; SHA-512 comes from the JDK
 * ({@link java.security.MessageDigest}, which has CPU intrinsics); (X)Salsa20 (HSalsa20, a one-block and a
 * vectorized sixteen-block Salsa20 core), Poly1305 (64-bit limbs) and the Ed25519-to-X25519 map are written here. Use it through the SPI:
 *
 * <pre>{@code
 * Crypto crypto = ServiceLoader.load(CryptoProvider.class).stream()
 *         .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("bouncycastle"))
 *         .findFirst().orElseThrow().create(Config.empty());
 * }</pre>
 */
module org.clatter.crypto {
    requires transitive org.clatter.spi.crypto;
    requires org.bouncycastle.provider;

    exports org.clatter.crypto;

    provides org.clatter.spi.crypto.CryptoProvider with org.clatter.crypto.BouncyCastleCryptoProvider;
}
