/**
 * Crypto SPI: the primitives Serval and the rest of Clatter need, NaCl-compatible.
 *
 * <p>Ed25519 signing and verification; X25519; NaCl {@code crypto_box} and {@code crypto_secretbox}
 * (XSalsa20-Poly1305, HSalsa20 key derivation); Ed25519-to-X25519 conversion of public keys and seeds;
 * SHA-512; secure random. All operations work on byte arrays with offsets and allocate nothing, so protocol
 * engines can call them per packet.
 */
module org.clatter.spi.crypto {
    requires transitive org.clatter.spi.provider;

    exports org.clatter.spi.crypto;
}
