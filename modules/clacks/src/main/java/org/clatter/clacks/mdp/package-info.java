/**
 * Clacks over Serval MDP: {@link org.clatter.clacks.mdp.MdpClacksDatagrams} adapts an
 * {@link org.clatter.mdp.node.MdpNode}'s sockets to {@link org.clatter.clacks.ClacksDatagrams}, so a
 * {@link org.clatter.clacks.DatagramClacksTransport} gossips over the mesh. This package needs the optional module
 * {@code org.clatter.mdp} at run time ({@code requires static}); the rest of {@code org.clatter.clacks} does not.
 */
package org.clatter.clacks.mdp;
