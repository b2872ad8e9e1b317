/**
 * The {@code "udp"} transport provider, its address type {@link org.clatter.transport.udp.UdpAddress} and
 * link counters {@link org.clatter.transport.udp.UdpLinkCounters}.
 */
package org.clatter.transport.udp;
