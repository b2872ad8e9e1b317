package org.clatter.transport.udp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Optional;
import org.clatter.spi.transport.TransportException;

/**
 * A parsed link specification: {@code ADDR/PREFIX[:PORT]} or {@code [IPV6%IFNAME]/PREFIX[:PORT]}; the prefix
 * may be left out (then the link does not broadcast). The broadcast target is the IPv4 subnet broadcast
 * address, or {@code ff02::1} on the scope interface for IPv6 when that interface supports multicast.
 */
record UdpLinkSpec(String text, InetSocketAddress bind, int prefix, Optional<InetSocketAddress> broadcast,
                   Optional<NetworkInterface> networkInterface) {

    static final int DEFAULT_PORT = 4110;

    static UdpLinkSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw bad(spec, "it is empty");
        }
        String s = spec.trim();
        String host;
        String rest;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw bad(spec, "an IPv6 address goes in brackets: [fe80::1%eth0]/64:4110");
            }
            host = s.substring(1, close);
            rest = s.substring(close + 1);
        } else {
            int cut = s.indexOf('/');
            if (cut < 0) {
                cut = s.indexOf(':');
            }
            host = cut < 0 ? s : s.substring(0, cut);
            rest = cut < 0 ? "" : s.substring(cut);
        }
        InetAddress ip = host.indexOf(':') >= 0 || s.startsWith("[")
                ? UdpAddress.parseIpv6(host, spec) : UdpAddress.parseIpv4(host, spec);
        int maxPrefix = ip instanceof Inet4Address ? 32 : 128;
        int prefix = maxPrefix;
        int port = DEFAULT_PORT;
        if (rest.startsWith("/")) {
            int colon = rest.indexOf(':');
            String p = colon < 0 ? rest.substring(1) : rest.substring(1, colon);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > maxPrefix) {
                throw bad(spec, "the prefix length must be 0-" + maxPrefix);
            }
            prefix = Integer.parseInt(p);
            rest = colon < 0 ? "" : rest.substring(colon);
        }
        if (rest.startsWith(":")) {
            port = UdpAddress.parsePort(rest.substring(1), spec);
        } else if (!rest.isEmpty()) {
            throw bad(spec, "unexpected '" + rest + "'");
        }
        InetSocketAddress bind = new InetSocketAddress(ip, port);
        if (ip instanceof Inet4Address v4) {
            return new UdpLinkSpec(s, bind, prefix, ipv4Broadcast(v4, prefix, port), Optional.empty());
        }
        Inet6Address v6 = (Inet6Address) ip;
        Optional<NetworkInterface> nif = Optional.ofNullable(v6.getScopedInterface());
        if (nif.isEmpty() && v6.getScopeId() > 0) {
            try {
                nif = Optional.ofNullable(NetworkInterface.getByIndex(v6.getScopeId()));
            } catch (SocketException e) {
                throw bad(spec, "cannot look up interface " + v6.getScopeId() + ": " + e.getMessage());
            }
        }
        Optional<InetSocketAddress> bcast = Optional.empty();
        if (nif.isPresent() && prefix < 128 && supportsMulticast(nif.get())) {
            try {
                bcast = Optional.of(new InetSocketAddress(
                        Inet6Address.getByAddress(null, Inet6Address.ofLiteral("ff02::1").getAddress(), nif.get()), port));
            } catch (UnknownHostException e) {
                throw bad(spec, e.getMessage());
            }
        }
        return new UdpLinkSpec(s, bind, prefix, bcast, nif);
    }

    private static boolean supportsMulticast(NetworkInterface nif) {
        try {
            return nif.supportsMulticast() && nif.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private static Optional<InetSocketAddress> ipv4Broadcast(Inet4Address ip, int prefix, int port) {
        if (prefix >= 31) {
            return Optional.empty();
        }
        byte[] b = ip.getAddress();
        int addr = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int hostMask = prefix == 0 ? -1 : (1 << (32 - prefix)) - 1;
        int bc = addr | hostMask;
        byte[] out = {(byte) (bc >>> 24), (byte) (bc >>> 16), (byte) (bc >>> 8), (byte) bc};
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(out), port));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TransportException bad(String spec, String why) {
        return new TransportException("bad UDP link spec '" + spec + "': " + why
                + " (expected ADDR/PREFIX[:PORT], e.g. 127.1.0.1/24:4110, or [fe80::1%eth0]/64:4110)");
    }
}
