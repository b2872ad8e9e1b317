package org.clatter.clacks;

import java.util.Optional;

/**
 * Clatter's additions to a Clacks payload, carried in an extra {@code "clatter"} member that clacks-p2p ignores:
 * a message id for de-duplication, the hops it may still travel, the id of the node that sent this request (a
 * node that reaches itself under another name notices), and an optional Ed25519 signature by the originator.
 *
 * @param id        32 hex digits, random per message; empty for announces
 * @param ttl       hops the message may still travel (the receiver queues it again only if {@code ttl > 1})
 * @param node      the sending node's random id (hex)
 * @param signer    the originator's Ed25519 public key (hex), when signed
 * @param signature the signature (hex) over {@code "clacks-v1" 0 id 0 message-json}, when signed
 */
public record Envelope(String id, int ttl, String node, Optional<String> signer, Optional<String> signature) {
}
