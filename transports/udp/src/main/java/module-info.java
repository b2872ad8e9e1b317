/**
 * The UDP transport: Serval-compatible interfaces on UDP port 4110 (IPv4 subnet broadcast, IPv6 link-local
 * multicast to {@code ff02::1}).
 *
 * <p>A link spec is {@code ADDR/PREFIX[:PORT]} ({@code 127.1.0.1/24:4110}) or
 * {@code [ADDR%IFNAME]/PREFIX[:PORT]} for IPv6. Each link binds a unicast socket to {@code ADDR:PORT} and,
 * for broadcasts, a second socket to the wildcard address on the same port with {@code SO_REUSEADDR} and
 * {@code SO_REUSEPORT}, so several Clatter nodes and {@code servald} share port 4110 on one host.
 * A receive thread per link writes datagrams into the pipeline's slots. Settings:
 * {@code udp.reuse_port}, {@code udp.receive_buffer}, {@code udp.send_buffer}, {@code udp.mtu},
 * {@code udp.bind_broadcast}, {@code udp.native}, {@code udp.gso}, {@code udp.gro}.
 *
 * <p><b>Native sockets (Linux).</b> With {@code udp.native=auto} (the default) a link on Linux x86_64/aarch64
 * uses the socket system calls directly through the Foreign Function &amp; Memory API when this module has
 * native access ({@code --enable-native-access=org.clatter.transport.udp}, or {@code ALL-UNNAMED} on the class
 * path; the jlink image's launcher sets it), and quietly falls back to {@code DatagramChannel} otherwise;
 * {@code on} fails to open a link where the native path is unavailable, {@code off} never uses it. The native
 * path adds UDP segmentation offload: inside a {@link org.clatter.spi.transport.Link#beginBatch() batch} (the
 * pipeline's outbound drainer opens one per run of frames for a link) consecutive equal-sized frames to one
 * peer leave in one {@code sendmsg} with {@code UDP_SEGMENT} ({@code udp.gso}), and the kernel hands a receiver
 * that set {@code UDP_GRO} ({@code udp.gro}) such a run in one {@code recvmsg}, which the link splits back into
 * frames. The datagrams on the wire are the ones a frame-by-frame sender would send, so servald, which reads
 * one datagram per {@code recvfrom}, interoperates unchanged.
 */
module org.clatter.transport.udp {
    requires transitive org.clatter.spi.transport;

    exports org.clatter.transport.udp;

    provides org.clatter.spi.transport.TransportProvider with org.clatter.transport.udp.UdpTransportProvider;
}
