/**
 * MDP API: {@link org.clatter.mdp.Sid}, {@link org.clatter.mdp.Identity} and {@link org.clatter.mdp.MdpCrypto}
 * (finding the crypto provider). Identities are Serval CRYPTOCOMBINED keys: everything derives from one Ed25519 seed
 * ({@code shared/specs/serval-wire.md} §1).
 */
package org.clatter.mdp;
