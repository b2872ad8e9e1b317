package org.clatter.transport.udp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.TransportException;

/**
 * A UDP endpoint: IP address and port. Text form {@code 127.1.0.2:4110} or {@code [fe80:0:0:0:0:0:0:1%eth0]:4110};
 * {@link #toBytes()} is the address bytes followed by the port, big-endian. Parsing never looks a name up:
 * only numeric literals are accepted.
 */
public final class UdpAddress implements LinkAddress {
    /** The kind of every UDP address and link. */
    public static final String KIND = "udp";

    private final InetSocketAddress socketAddress;

    /** Wraps a resolved socket address. */
    public UdpAddress(InetSocketAddress socketAddress) {
        if (socketAddress.isUnresolved()) {
            throw new IllegalArgumentException("a UDP link address must be a numeric IP address: " + socketAddress);
        }
        this.socketAddress = socketAddress;
    }

    /** The socket address to send to. */
    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    public boolean isIpv6() {
        return socketAddress.getAddress() instanceof Inet6Address;
    }

    /**
     * Parses {@code A.B.C.D:PORT} or {@code [IPV6[%SCOPE]]:PORT}.
     *
     * @throws TransportException if the text is not such an address
     */
    public static UdpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw bad(text, "it is empty");
        }
        int colon;
        InetAddress ip;
        if (text.charAt(0) == '[') {
            colon = text.indexOf("]:");
            if (colon < 0) {
                throw bad(text, "an IPv6 address needs brackets and a port: [ADDR]:PORT");
            }
            ip = parseIpv6(text.substring(1, colon), text);
            colon++;
        } else {
            colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw bad(text, "the port is missing: ADDR:PORT");
            }
            ip = parseIpv4(text.substring(0, colon), text);
        }
        int port = parsePort(text.substring(colon + 1), text);
        if (port == 0) {
            throw bad(text, "port 0 cannot be sent to");
        }
        return new UdpAddress(new InetSocketAddress(ip, port));
    }

    static Inet4Address parseIpv4(String s, String whole) {
        byte[] b = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    throw bad(whole, "an IPv4 byte is over 255");
                }
            } else if (c == '.') {
                if (value < 0 || part > 3) {
                    throw bad(whole, "an IPv4 address is four numbers 0-255 joined by dots");
                }
                b[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                throw bad(whole, "unexpected character '" + c + "' in an IPv4 address");
            }
        }
        if (part != 4) {
            throw bad(whole, "an IPv4 address is four numbers 0-255 joined by dots");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw bad(whole, e.getMessage());
        }
    }

    static Inet6Address parseIpv6(String s, String whole) {
        int pct = s.indexOf('%');
        String literal = pct < 0 ? s : s.substring(0, pct);
        if (literal.isEmpty() || literal.length() > 45 || literal.indexOf(':') < 0) {
            throw bad(whole, "not an IPv6 address literal");
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                throw bad(whole, "unexpected character '" + c + "' in an IPv6 address");
            }
        }
        try {
            InetAddress parsed = Inet6Address.ofLiteral(literal);
            byte[] bytes = parsed.getAddress();
            if (bytes.length != 16) {
                throw bad(whole, "IPv4-mapped IPv6 addresses are not used: write the IPv4 address");
            }
            if (pct < 0) {
                return Inet6Address.getByAddress(null, bytes, -1);
            }
            String scope = s.substring(pct + 1);
            if (!scope.isEmpty() && scope.chars().allMatch(ch -> ch >= '0' && ch <= '9') && scope.length() <= 9) {
                return Inet6Address.getByAddress(null, bytes, Integer.parseInt(scope));
            }
            NetworkInterface nif = scope.isEmpty() ? null : NetworkInterface.getByName(scope);
            if (nif == null) {
                throw bad(whole, "no network interface named '" + scope + "' on this machine");
            }
            try {
                return Inet6Address.getByAddress(null, bytes, nif);
            } catch (UnknownHostException noSuchScopeOnThatInterface) {
                // the interface has no address of this scope (yet): keep its index, which is what the kernel uses
                return Inet6Address.getByAddress(null, bytes, nif.getIndex());
            }
        } catch (IllegalArgumentException | UnknownHostException | SocketException e) {
            throw bad(whole, "not an IPv6 address literal (" + e.getMessage() + ")");
        }
    }

    static int parsePort(String s, String whole) {
        if (s.isEmpty() || s.length() > 5) {
            throw bad(whole, "the port must be a number 0-65535");
        }
        int port = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(whole, "the port must be a number 0-65535");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535) {
            throw bad(whole, "the port must be a number 0-65535");
        }
        return port;
    }

    private static TransportException bad(String text, String why) {
        return new TransportException("not a UDP address: '" + text + "': " + why
                + " (expected A.B.C.D:PORT or [IPV6%IFNAME]:PORT)");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public byte[] toBytes() {
        byte[] ip = socketAddress.getAddress().getAddress();
        byte[] out = new byte[ip.length + 2];
        System.arraycopy(ip, 0, out, 0, ip.length);
        out[ip.length] = (byte) (socketAddress.getPort() >>> 8);
        out[ip.length + 1] = (byte) socketAddress.getPort();
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpAddress u && u.socketAddress.equals(socketAddress);
    }

    @Override
    public int hashCode() {
        return socketAddress.hashCode();
    }

    @Override
    public String toString() {
        InetAddress ip = socketAddress.getAddress();
        String host = ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + socketAddress.getPort();
    }
}
