package org.clatter.transport.udp;

import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.TransportException;

/**
 * The {@code udp.*} settings.
 *
 * @param reusePort      {@code udp.reuse_port} (on): set SO_REUSEPORT so servald and other nodes share the port
 * @param receiveBuffer  {@code udp.receive_buffer} bytes of SO_RCVBUF ({@value #DEFAULT_RECEIVE_BUFFER}: a window of
 *                       MSP packets from several peers fits; the kernel caps it at {@code net.core.rmem_max};
 *                       0: the system default, which dropped a third of a 1 MiB Rhizome transfer's datagrams)
 * @param sendBuffer     {@code udp.send_buffer} bytes of SO_SNDBUF (0: the system default)
 * @param mtu            {@code udp.mtu} (1200): the largest datagram sent; Serval's overlay MTU
 * @param bindBroadcast  {@code udp.bind_broadcast} (on): bind the wildcard socket that hears broadcasts
 * @param nativeMode     {@code udp.native} ({@code auto}): {@code on} uses the native Linux socket path (and fails
 *                       to open a link where it cannot), {@code off} the portable {@code DatagramChannel} path,
 *                       {@code auto} the native path where it is available (Linux x86_64/aarch64, native access
 *                       enabled for this module), quietly the portable one elsewhere
 * @param gso            {@code udp.gso} (on): with the native path, send runs of equal-sized frames to one peer
 *                       in one system call ({@code UDP_SEGMENT}) inside a {@link org.clatter.spi.transport.Link#beginBatch() batch}
 * @param gro            {@code udp.gro} (on): with the native path, let the kernel coalesce received datagrams
 *                       ({@code UDP_GRO}) and split them back into frames
 */
record UdpSettings(boolean reusePort, int receiveBuffer, int sendBuffer, int mtu, boolean bindBroadcast,
                   NativeMode nativeMode, boolean gso, boolean gro) {

    /** The {@code udp.native} choices. */
    enum NativeMode { AUTO, ON, OFF }

    /** Serval's {@code MDP_OVERLAY_MTU}: servald never sends a larger overlay packet. */
    static final int DEFAULT_MTU = 1200;

    /** Default SO_RCVBUF: 4 MiB. */
    static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;

    static UdpSettings from(Config c) {
        String mode = c.get("udp.native", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        NativeMode nativeMode = switch (mode) {
            case "auto" -> NativeMode.AUTO;
            case "on", "true", "yes" -> NativeMode.ON;
            case "off", "false", "no" -> NativeMode.OFF;
            default -> throw new TransportException("udp.native=" + mode + " is not one of auto, on, off");
        };
        UdpSettings s = new UdpSettings(c.getBoolean("udp.reuse_port", true), c.getInt("udp.receive_buffer", DEFAULT_RECEIVE_BUFFER),
                c.getInt("udp.send_buffer", 0), c.getInt("udp.mtu", DEFAULT_MTU), c.getBoolean("udp.bind_broadcast", true),
                nativeMode, c.getBoolean("udp.gso", true), c.getBoolean("udp.gro", true));
        if (s.mtu < 1 || s.mtu > 65_507) {
            throw new TransportException("udp.mtu=" + s.mtu + " is outside 1..65507 (the largest UDP payload)");
        }
        if (s.receiveBuffer < 0 || s.sendBuffer < 0) {
            throw new TransportException("udp.receive_buffer and udp.send_buffer are byte counts (0 = system default)");
        }
        return s;
    }
}
