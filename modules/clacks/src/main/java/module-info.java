/**
 * Clacks: peer-to-peer gossip messaging that interoperates with clacks-p2p 0.3.3 over HTTPS and fixes its flaws
 * (bounded everything, validated input, no silent loss, collision-free peer identity, message ids, hop limits and
 * optional Ed25519 signatures carried in an extra field clacks-p2p ignores).
 *
 * <p>Exports {@code org.clatter.clacks} (the node, its options and events, the transport interface, the command),
 * {@code org.clatter.clacks.json} (the bounded JSON reader and writer) and {@code org.clatter.clacks.mdp} (Clacks
 * over Serval MDP sockets; needs the optional module {@code org.clatter.mdp}). Signing uses the crypto SPI through
 * {@link java.util.ServiceLoader} when a provider is present.
 */
module org.clatter.clacks {
    requires transitive org.clatter.spi.crypto;
    requires jdk.httpserver;
    requires java.net.http;
    // Only org.clatter.clacks.mdp (Clacks over Serval MDP) needs it; HTTPS-only use runs without it.
    requires static org.clatter.mdp;

    exports org.clatter.clacks;
    exports org.clatter.clacks.json;
    exports org.clatter.clacks.mdp;

    uses org.clatter.spi.crypto.CryptoProvider;
}
