package org.clatter.transport.udp;

/** The transport TCK over IPv4 loopback on the portable {@code DatagramChannel} path ({@code udp.native=off}). */
class UdpNioConformanceTest extends UdpTransportConformanceTest {

    @Override
    protected String nativeMode() {
        return "off";
    }
}
