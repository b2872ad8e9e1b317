package org.clatter.transport.udp;

import java.time.Duration;
import java.util.List;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.tck.TransportConformanceTest;

/**
 * The transport TCK over IPv6 loopback ({@code ::1}, two ports). The loopback interface has no multicast
 * (and no link-local address) in the default network namespace, so these links do not broadcast and the
 * suite checks {@code NO_BROADCAST} instead; {@link UdpLinkTest} covers multicast where an interface allows it.
 */
class UdpIpv6ConformanceTest extends TransportConformanceTest {

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
        return List.of("[::1]/128:" + UdpTestPorts.freePort(), "[::1]/128:" + UdpTestPorts.freePort());
    }

    @Override
    protected void pump(Duration duration) {
        UdpTestPorts.sleep(duration);
    }
}
