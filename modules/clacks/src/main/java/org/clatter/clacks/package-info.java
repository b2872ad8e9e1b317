/**
 * Clacks gossip messaging, compatible on the wire with clacks-p2p 0.3.3: {@link org.clatter.clacks.ClacksNode},
 * its {@link org.clatter.clacks.ClacksOptions}, peers, listeners, plugins, the pluggable
 * {@link org.clatter.clacks.ClacksTransport}, and the {@link org.clatter.clacks.ClacksCommand} behind
 * {@code clatter clacks run}.
 */
package org.clatter.clacks;
