package org.clatter.transport.udp;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportProvider;

/**
 * The {@code "udp"} provider. Settings: {@code udp.reuse_port} (on), {@code udp.receive_buffer} (bytes, 4 MiB,
 * capped by the kernel; 0 = system default), {@code udp.send_buffer} (bytes, 0 = system default), {@code udp.mtu} (1200, Serval's overlay MTU),
 * {@code udp.bind_broadcast} (on), {@code udp.native} ({@code auto}: Linux sockets through FFM where available,
 * else {@code DatagramChannel}; {@code on}, {@code off}), {@code udp.gso} and {@code udp.gro} (on: segmentation
 * offload on the native path). Links are opened with specs like {@code 127.1.0.1/24:4110}.
 */
public final class UdpTransportProvider implements TransportProvider {

    public UdpTransportProvider() {
    }

    @Override
    public String name() {
        return UdpAddress.KIND;
    }

    @Override
    public String description() {
        return "UDP/IP interfaces, Serval-compatible (port 4110, subnet broadcast, SO_REUSEPORT)";
    }

    @Override
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    @Override
    public Optional<String> unavailabilityCause() {
        try (DatagramChannel ignored = DatagramChannel.open()) {
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.of("cannot open a UDP socket: " + e);
        }
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Transport create(Config config) {
        return new UdpTransport(UdpSettings.from(config));
    }

    /** The counters of a link this provider's transports opened. */
    public static Optional<UdpLinkCounters> counters(Link link) {
        return link instanceof UdpLink u ? Optional.of(u.counters()) : Optional.empty();
    }
}
