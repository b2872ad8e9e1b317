/**
 * Tools for people debugging real Serval networks: {@link org.clatter.mdp.tools.PcapReader} (libpcap files,
 * Ethernet/IPv4/UDP) and {@link org.clatter.mdp.tools.OverlayDecodeCommand} ({@code clatter overlay decode}).
 */
package org.clatter.mdp.tools;
