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
 *
 * <p>Measured (2-core shared machine, {@code MspThroughputBench 0 128 10}, SACK window 256, no loss, 1,100-byte
 * datagrams of 1,024-byte messages, {@code udp.native=off} and {@code on} alternated in one session): the same
 * datagrams pushed through a link in batches of 32 cost 5.7&ndash;6.5&nbsp;µs of CPU each on
 * {@code DatagramChannel} (0.79&ndash;0.82&times; the bare-UDP blast's rate) and 0.4&ndash;0.6&nbsp;µs native
 * (11&ndash;15&times; it); the encrypted MSP stream went from 15.3&ndash;20.8&nbsp;µs of CPU per message
 * (74&ndash;109&nbsp;MB/s, 25&ndash;37&nbsp;% of the same run's bare UDP) to 8.3&ndash;12.7&nbsp;µs
 * (145&ndash;183&nbsp;MB/s, 45&ndash;49&nbsp;% of bare UDP in runs where the bare blast kept its rate). The
 * counters showed 131,046 of 131,078 datagrams leaving in 2,614 {@code sendmsg} calls and arriving in 2,614
 * {@code recvmsg} calls. A later session on a busier machine (the bare blast down to 138&ndash;160&nbsp;MB/s)
 * gave 7.1&ndash;10.6&nbsp;µs per message native against 12.0&ndash;13.4&nbsp;µs on {@code DatagramChannel}
 * (each side's first, warm-up run left out).
 */
module org.clatter.transport.udp {
    requires transitive org.clatter.spi.transport;

    exports org.clatter.transport.udp;

    provides org.clatter.spi.transport.TransportProvider with org.clatter.transport.udp.UdpTransportProvider;
}
