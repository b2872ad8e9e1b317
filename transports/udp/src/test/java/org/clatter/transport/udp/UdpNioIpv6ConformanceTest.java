package org.clatter.transport.udp;

/** The transport TCK over IPv6 loopback on the portable {@code DatagramChannel} path ({@code udp.native=off}). */
class UdpNioIpv6ConformanceTest extends UdpIpv6ConformanceTest {

    @Override
    protected String nativeMode() {
        return "off";
    }
}
