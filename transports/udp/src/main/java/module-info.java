/**
 * The UDP transport: Serval-compatible interfaces on UDP port 4110 (IPv4 subnet broadcast, IPv6 link-local
 * multicast to {@code ff02::1}).
 *
 * <p>A link spec is {@code ADDR/PREFIX[:PORT]} ({@code 127.1.0.1/24:4110}) or
 * {@code [ADDR%IFNAME]/PREFIX[:PORT]} for IPv6. Each link binds a unicast socket to {@code ADDR:PORT} and,
 * for broadcasts, a second socket to the wildcard address on the same port with {@code SO_REUSEADDR} and
 * {@code SO_REUSEPORT}, so several Clatter nodes and {@code servald} share port 4110 on one host.
 * Received datagrams go straight into the pipeline's slots from a selector thread per link. Settings:
 * {@code udp.reuse_port}, {@code udp.receive_buffer}, {@code udp.send_buffer}, {@code udp.mtu},
 * {@code udp.bind_broadcast}.
 */
module org.clatter.transport.udp {
    requires transitive org.clatter.spi.transport;

    exports org.clatter.transport.udp;

    provides org.clatter.spi.transport.TransportProvider with org.clatter.transport.udp.UdpTransportProvider;
}
