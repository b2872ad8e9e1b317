package org.clatter.clacks;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a peer is reached and how it names itself: an advertised hostname (lower-cased) and a port. Peers are
 * identified by this pair, compared field by field, so {@code 127.0.0.1:19001} and {@code 127.0.0.11:9001} are
 * two peers (clacks-p2p hashes the concatenation and confuses them, spec section 6).
 *
 * <p>A hostname is 1 to 253 characters of letters, digits, {@code . - _ :} (IPv6 literals without brackets;
 * the mesh transport uses {@code sid:<hex>}).
 */
public record PeerAddress(String hostname, int port) implements Comparable<PeerAddress> {

    public PeerAddress {
        if (!validHostname(hostname)) {
            throw new ClacksException("invalid peer hostname '" + hostname
                    + "': use 1-253 letters, digits, '.', '-', '_' or ':' (an IP address or a DNS name)");
        }
        if (port < 1 || port > 65535) {
            throw new ClacksException("invalid peer port " + port + ": use 1-65535");
        }
        hostname = hostname.toLowerCase(Locale.ROOT);
    }

    /** The address if both parts are valid, else empty (for untrusted input). */
    public static Optional<PeerAddress> tryOf(String hostname, int port) {
        if (!validHostname(hostname) || port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new PeerAddress(hostname, port));
    }

    /** Parses {@code host:port} (the last colon separates the port, so IPv6 literals work). */
    public static PeerAddress parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new ClacksException("peer '" + hostAndPort + "' must be written HOST:PORT, e.g. 127.0.0.1:8080");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ClacksException("peer '" + hostAndPort + "' has a port that is not a number; write HOST:PORT");
        }
        return new PeerAddress(host, port);
    }

    static boolean validHostname(String h) {
        if (h == null || h.isEmpty() || h.length() > 253) {
            return false;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The authority for a URI: IPv6 literals get brackets. */
    public String authority() {
        return (hostname.indexOf(':') >= 0 ? "[" + hostname + "]" : hostname) + ":" + port;
    }

    @Override
    public int compareTo(PeerAddress o) {
        int c = hostname.compareTo(o.hostname);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return authority();
    }
}
