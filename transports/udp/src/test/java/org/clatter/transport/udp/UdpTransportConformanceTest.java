package org.clatter.transport.udp;

import java.time.Duration;
import java.util.List;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.tck.TransportConformanceTest;

/**
 * The transport TCK over IPv4 loopback: two links on 127.1.0.1 and 127.1.0.2 sharing one port. The prefix is
 * /8 because the stock loopback interface has a broadcast route only for 127.255.255.255; a /24 broadcast
 * (127.1.0.255) needs {@code ip addr add 127.1.0.1/24 brd + dev lo}, which a unit test must not do to the host.
 */
class UdpTransportConformanceTest extends TransportConformanceTest {

    @Override
    protected Transport createTransport() {
        return new UdpTransportProvider().create(Config.of("udp.receive_buffer", "4194304", "udp.native", nativeMode()));
    }

    /** {@code udp.native}: this class runs the suite on the native Linux sockets, its NIO subclass on DatagramChannel. */
    protected String nativeMode() {
        return "on";
    }

    @Override
    protected List<String> linkSpecs() {
        int port = UdpTestPorts.freePort();
        return List.of("127.1.0.1/8:" + port, "127.1.0.2/8:" + port);
    }

    @Override
    protected void pump(Duration duration) {
        UdpTestPorts.sleep(duration);
    }
}
