package org.clatter.transport.udp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} in native memory: family (host order), port (network
 * order), then the IPv4 address, or flow info, the IPv6 address and the scope id (host order).
 */
final class Sockaddr {
    private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt SCOPE = ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder());

    private Sockaddr() {
    }

    /** Writes {@code a} at offset 0 of {@code into} (at least 28 bytes) and returns its length. */
    static int encode(InetSocketAddress a, MemorySegment into) {
        into.asSlice(0, LinuxSys.SOCKADDR_IN6_SIZE).fill((byte) 0);
        InetAddress ip = a.getAddress();
        into.set(PORT, 2, (short) a.getPort());
        if (ip instanceof Inet4Address) {
            into.set(FAMILY, 0, (short) LinuxSys.AF_INET);
            MemorySegment.copy(ip.getAddress(), 0, into, ValueLayout.JAVA_BYTE, 4, 4);
            return LinuxSys.SOCKADDR_IN_SIZE;
        }
        Inet6Address v6 = (Inet6Address) ip;
        into.set(FAMILY, 0, (short) LinuxSys.AF_INET6);
        MemorySegment.copy(v6.getAddress(), 0, into, ValueLayout.JAVA_BYTE, 8, 16);
        into.set(SCOPE, 24, Math.max(0, v6.getScopeId()));
        return LinuxSys.SOCKADDR_IN6_SIZE;
    }

    /** The family at offset 0. */
    static int family(MemorySegment s) {
        return s.get(FAMILY, 0) & 0xffff;
    }

    /** The port of an encoded address. */
    static int port(MemorySegment s) {
        return s.get(PORT, 2) & 0xffff;
    }

    /**
     * Decodes {@code length} bytes of a sockaddr.
     *
     * @throws IllegalArgumentException if it is not an IPv4 or IPv6 address of the right length
     */
    static InetSocketAddress decode(MemorySegment s, int length) {
        int family = length >= 2 ? family(s) : -1;
        try {
            if (family == LinuxSys.AF_INET && length >= LinuxSys.SOCKADDR_IN_SIZE) {
                byte[] ip = s.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port(s));
            }
            if (family == LinuxSys.AF_INET6 && length >= LinuxSys.SOCKADDR_IN6_SIZE) {
                byte[] ip = s.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = s.get(SCOPE, 24);
                InetAddress a = scope != 0 ? Inet6Address.getByAddress(null, ip, scope)
                        : InetAddress.getByAddress(ip);
                return new InetSocketAddress(a, port(s));
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad socket address: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("not an IPv4 or IPv6 socket address (family " + family + ", "
                + length + " bytes)");
    }

    /**
     * Raw sockaddr bytes as a hash key. One instance is reused as the probe for look-ups (filled in place, so a
     * known sender costs no allocation); {@link #copy()} makes the stored key.
     */
    static final class Key {
        final byte[] bytes = new byte[LinuxSys.SOCKADDR_IN6_SIZE];
        int length;
        int hash;

        /** Fills this key from native memory. */
        Key set(MemorySegment from, int len) {
            length = Math.min(len, bytes.length);
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, 0, bytes, 0, length);
            int h = length;
            for (int i = 0; i < length; i++) {
                h = 31 * h + bytes[i];
            }
            hash = h;
            return this;
        }

        Key copy() {
            Key k = new Key();
            System.arraycopy(bytes, 0, k.bytes, 0, length);
            k.length = length;
            k.hash = hash;
            return k;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.length == length && k.hash == hash
                    && Arrays.equals(bytes, 0, length, k.bytes, 0, length);
        }
    }
}
