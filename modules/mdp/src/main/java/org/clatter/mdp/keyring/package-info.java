/**
 * Keyrings: {@link org.clatter.mdp.keyring.Keyring} (identities of one node),
 * {@link org.clatter.mdp.keyring.ClatterKeyringFile} (Clatter's own file, secrets sealed under an optional
 * passphrase), {@link org.clatter.mdp.keyring.KeyringDump} ({@code servald keyring dump --secret} text) and
 * {@link org.clatter.mdp.keyring.ServalKeyringFile} (servald's binary {@code serval.keyring}).
 */
package org.clatter.mdp.keyring;
