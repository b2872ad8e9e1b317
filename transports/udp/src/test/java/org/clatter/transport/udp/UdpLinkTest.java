package org.clatter.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportException;
import org.clatter.spi.transport.TransportProvider;
import org.clatter.transport.tck.RecordingFrameSink;
import org.junit.jupiter.api.Test;

class UdpLinkTest {

    private static boolean await(BooleanSupplier c) {
        return UdpTestPorts.await(c, 3000);
    }

    private static Transport transport(String... settings) {
        return new UdpTransportProvider().create(Config.of(settings));
    }

    @Test
    void nodesOnOneHostShareThePortAndAllHearABroadcast() {
        int port = UdpTestPorts.freePort();
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Link a = t.open("127.1.0.1/8:" + port);
            Link b = t.open("127.1.0.2/8:" + port);
            Link c = t.open("127.1.0.3/8:" + port);
            RecordingFrameSink sa = new RecordingFrameSink(1500);
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            RecordingFrameSink sc = new RecordingFrameSink(1500);
            a.start(sa);
            b.start(sb);
            c.start(sc);
            assertEquals("127.255.255.255:" + port, a.broadcastAddress().orElseThrow().toString());
            MemorySegment f = arena.allocate(100);
            assertEquals(SendResult.SENT, a.broadcast(f, 0, 100));
            assertTrue(await(() -> sb.frameCount() == 1 && sc.frameCount() == 1), "both neighbours hear it");
            UdpTestPorts.sleep(Duration.ofMillis(20));
            assertEquals(0, sa.frameCount(), "own broadcasts are ignored");
            assertEquals(1L, UdpTransportProvider.counters(a).orElseThrow().ownBroadcasts());
            assertEquals(a.localAddress(), sb.frames().getFirst().source());
            // unicast reaches exactly the addressed node even though three sockets share the wildcard port
            assertEquals(SendResult.SENT, b.send(c.localAddress(), f, 0, 10));
            assertTrue(await(() -> sc.frameCount() == 2));
            UdpTestPorts.sleep(Duration.ofMillis(20));
            assertEquals(0, sa.frameCount());
            assertEquals(1, sb.frameCount());
        }
    }

    /**
     * The servald layout: {@code 127.1.0.x/24} with broadcast {@code 127.1.0.255}. It needs the addresses on
     * {@code lo} with a broadcast address ({@code ip addr add 127.1.0.1/24 brd + dev lo}), which a unit test must
     * not do to the host, so it runs where they exist (e.g. {@code unshare -n} with the addresses added).
     */
    @Test
    void subnetBroadcastWhereLoopbackHasTheServalAddresses() throws Exception {
        int port = UdpTestPorts.freePort();
        boolean layout = kernelBroadcastsTo127_1_0_255(port);
        // CI runs this class again inside a network namespace it sets up with servald's layout, and sets the
        // property so that a missing layout there is a failure, not a skip.
        if (Boolean.getBoolean("clatter.test.servalLayout")) {
            org.junit.jupiter.api.Assertions.assertTrue(layout,
                    "clatter.test.servalLayout is set but lo has no 127.1.0.x/24 address with broadcast 127.1.0.255");
        }
        assumeTrue(layout, "lo has no 127.1.0.x/24 address with broadcast 127.1.0.255 here");
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Link a = t.open("127.1.0.1/24:" + port);
            Link b = t.open("127.1.0.2/24:" + port);
            RecordingFrameSink sa = new RecordingFrameSink(1500);
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            a.start(sa);
            b.start(sb);
            assertEquals(SendResult.SENT, a.broadcast(arena.allocate(10), 0, 10));
            assertEquals(SendResult.SENT, b.broadcast(arena.allocate(20), 0, 20));
            assertTrue(await(() -> sa.frameCount() == 1 && sb.frameCount() == 1), "both hear the other's broadcast");
            assertEquals(20, sa.frames().getFirst().length());
            assertEquals(10, sb.frames().getFirst().length());
        }
    }

    @Test
    void aRepeatedSenderIsInterned() {
        int port = UdpTestPorts.freePort();
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Link a = t.open("127.1.0.1/8:" + port);
            Link b = t.open("127.1.0.2/8:" + port);
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            b.start(sb);
            MemorySegment f = arena.allocate(32);
            for (int i = 0; i < 50; i++) {
                assertEquals(SendResult.SENT, a.send(b.localAddress(), f, 0, 32));
            }
            assertTrue(await(() -> sb.frameCount() == 50));
            List<RecordingFrameSink.Frame> got = sb.frames();
            for (RecordingFrameSink.Frame fr : got) {
                assertSame(got.getFirst().source(), fr.source(), "the source address should be one interned object");
            }
        }
    }

    @Test
    void heapFramesAreCopiedAndNativeFramesAreNot() {
        int port = UdpTestPorts.freePort();
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Link a = t.open("127.1.0.1/8:" + port);
            Link b = t.open("127.1.0.2/8:" + port);
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            b.start(sb);
            byte[] heap = {1, 2, 3, 4, 5, 6, 7, 8};
            assertEquals(SendResult.SENT, a.send(b.localAddress(), MemorySegment.ofArray(heap), 2, 5));
            MemorySegment direct = arena.allocate(8);
            direct.copyFrom(MemorySegment.ofArray(heap));
            assertEquals(SendResult.SENT, a.send(b.localAddress(), direct, 1, 3));
            assertTrue(await(() -> sb.frameCount() == 2));
            assertEquals(List.of(3, 4, 5, 6, 7), toList(sb.frames().get(0).bytes()));
            assertEquals(List.of(2, 3, 4), toList(sb.frames().get(1).bytes()));
            assertEquals(1L, UdpTransportProvider.counters(a).orElseThrow().copiedSends());
        }
    }

    private static List<Integer> toList(byte[] b) {
        return java.util.stream.IntStream.range(0, b.length).mapToObj(i -> (int) b[i]).toList();
    }

    @Test
    void linkSpecsParse() {
        try (Transport t = transport("udp.bind_broadcast", "off")) {
            int port = UdpTestPorts.freePort();
            Link l = t.open("127.1.0.9/24:" + port);
            assertEquals("127.1.0.255:" + port, l.broadcastAddress().orElseThrow().toString());
            assertEquals("127.1.0.9:" + port, l.localAddress().toString());
            assertEquals("udp:127.1.0.9/24:" + port, l.info().name());
            assertEquals(1200, l.info().mtu());
            Link noPrefix = t.open("127.1.0.10:" + port);
            assertFalse(noPrefix.info().broadcast());
            assertEquals(SendResult.NO_BROADCAST, noPrefix.broadcast(MemorySegment.ofArray(new byte[4]), 0, 4));
        }
        assertEquals(4110, UdpLinkSpec.parse("127.1.0.1/24").bind().getPort(), "default port");
        assertEquals(24, UdpLinkSpec.parse("127.1.0.1/24").prefix());
        assertTrue(UdpLinkSpec.parse("[::1]/128:4110").broadcast().isEmpty());
        UdpLinkSpec v6 = UdpLinkSpec.parse("[fe80::1%lo]/64:4111");
        assertEquals("lo", v6.networkInterface().orElseThrow().getName());
        assertEquals(4111, v6.bind().getPort());
        try {
            // broadcast is ff02::1 on the interface, offered only where the interface can multicast
            assertEquals(NetworkInterface.getByName("lo").supportsMulticast(), v6.broadcast().isPresent());
            v6.broadcast().ifPresent(g -> assertTrue(g.getAddress().isMulticastAddress()));
        } catch (java.net.SocketException e) {
            throw new AssertionError(e);
        }
        for (String bad : List.of("", "127.1.0/24", "127.1.0.256/24", "127.1.0.1/33", "127.1.0.1/24:70000",
                "[::1/64", "[fe80::1%nosuchif]/64:4110", "host.example/24", "127.1.0.1/24:x", "[zz::1]/64")) {
            var e = assertThrows(TransportException.class, () -> UdpLinkSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("expected"), e.getMessage());
        }
    }

    @Test
    void arbitrarySpecsParseOrFailWithATransportException() {
        qt().withExamples(2000).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(text -> {
            try {
                UdpLinkSpec.parse(text);
            } catch (TransportException expected) {
                assertTrue(expected.getMessage().contains("expected"));
            }
        });
        qt().withExamples(1000).forAll(integers().between(0, 255), integers().between(0, 32), integers().between(1, 65535))
                .checkAssert((last, prefix, port) -> {
                    UdpLinkSpec s = UdpLinkSpec.parse("10.1.2." + last + "/" + prefix + ":" + port);
                    assertEquals(port, s.bind().getPort());
                    assertEquals(prefix >= 31, s.broadcast().isEmpty());
                    UdpAddress a = UdpAddress.parse(new UdpAddress(s.bind()).toString());
                    assertEquals(s.bind(), a.socketAddress());
                });
    }

    @Test
    void settingsAreCheckedAndApplied() {
        assertThrows(TransportException.class, () -> transport("udp.mtu", "0"));
        assertThrows(TransportException.class, () -> transport("udp.mtu", "70000"));
        assertThrows(TransportException.class, () -> transport("udp.receive_buffer", "-1"));
        try (Transport t = transport("udp.mtu", "500", "udp.reuse_port", "off", "udp.send_buffer", "65536")) {
            Link l = t.open("127.1.0.1/8:" + UdpTestPorts.freePort());
            assertEquals(500, l.info().mtu());
            MemorySegment f = MemorySegment.ofArray(new byte[501]);
            assertEquals(SendResult.TOO_LARGE, l.send(l.localAddress(), f, 0, 501));
            assertEquals(SendResult.SENT, l.send(l.localAddress(), f, 0, 500));
        }
    }

    @Test
    void anAddressNotOnThisHostFailsToOpenWithAHint() {
        try (Transport t = transport()) {
            var e = assertThrows(TransportException.class, () -> t.open("192.0.2.199/24:" + UdpTestPorts.freePort()));
            assertTrue(e.getMessage().contains("ip addr add"), e.getMessage());
        }
    }

    @Test
    void closingTheTransportClosesItsLinks() {
        Transport t = transport();
        Link l = t.open("127.1.0.1/8:" + UdpTestPorts.freePort());
        l.start(new RecordingFrameSink(1500));
        t.close();
        assertEquals(LinkState.DISABLED, l.state());
        assertThrows(TransportException.class, () -> t.open("127.1.0.1/8:4110"));
    }

    @Test
    void providerIsFoundByServiceLoader() {
        getClass().getModule().addUses(TransportProvider.class);
        TransportProvider p = ServiceLoader.load(TransportProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("udp")).findFirst().orElseThrow();
        assertTrue(p.isAvailable());
        assertTrue(p.unavailabilityCause().isEmpty());
    }

    /**
     * IPv6 "broadcast" is multicast to ff02::1 on the link's interface. It runs only where the kernel delivers
     * link-local multicast on {@code lo}: the default namespace's loopback has neither the MULTICAST flag nor a
     * link-local address, and on the 6.18 kernel here even a namespace with {@code ip link set lo multicast on},
     * {@code fe80::1/64} and an {@code ff00::/8} route sends but never delivers, so a raw-socket probe decides.
     */
    @Test
    void ipv6MulticastOnLoopbackWhereTheKernelAllowsIt() throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        assumeTrue(lo != null && lo.supportsMulticast() && lo.inetAddresses()
                .anyMatch(a -> a instanceof java.net.Inet6Address v6 && v6.isLinkLocalAddress()),
                "lo has no multicast or no link-local IPv6 address here");
        assumeTrue(kernelLoopsIpv6Multicast(lo), "the kernel does not deliver ff02::1 multicast on lo");
        String ll = lo.inetAddresses().filter(a -> a instanceof java.net.Inet6Address v6 && v6.isLinkLocalAddress())
                .findFirst().orElseThrow().getHostAddress().replaceAll("%.*", "");
        int port = UdpTestPorts.freePort();
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Link a = t.open("[" + ll + "%lo]/64:" + port);
            Link b = t.open("[" + ll + "%lo]/64:" + port);
            assertTrue(a.info().broadcast());
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            b.start(sb);
            assertEquals(SendResult.SENT, a.broadcast(arena.allocate(10), 0, 10));
            assertTrue(await(() -> sb.frameCount() == 1), "the multicast never reached the other link");
        }
    }

    /** Whether two SO_REUSEPORT wildcard sockets both hear a datagram sent to 127.1.0.255 (a real broadcast route). */
    private static boolean kernelBroadcastsTo127_1_0_255(int port) {
        try (var rx1 = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET);
             var rx2 = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET);
             var tx = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET)) {
            for (var rx : List.of(rx1, rx2)) {
                rx.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                rx.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
                rx.bind(new java.net.InetSocketAddress("0.0.0.0", port));
                rx.configureBlocking(false);
            }
            tx.setOption(java.net.StandardSocketOptions.SO_BROADCAST, true);
            tx.bind(new java.net.InetSocketAddress("127.1.0.1", 0));
            tx.send(java.nio.ByteBuffer.wrap(new byte[] {1}), new java.net.InetSocketAddress("127.1.0.255", port));
            boolean one = false;
            boolean two = false;
            for (int i = 0; i < 200 && !(one && two); i++) {
                one |= rx1.receive(java.nio.ByteBuffer.allocate(4)) != null;
                two |= rx2.receive(java.nio.ByteBuffer.allocate(4)) != null;
                Thread.sleep(1);
            }
            return one && two;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean kernelLoopsIpv6Multicast(NetworkInterface lo) {
        try (var rx = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET6);
             var tx = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET6)) {
            rx.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName("::"), 0));
            var group = java.net.Inet6Address.getByAddress(null,
                    java.net.Inet6Address.ofLiteral("ff02::1").getAddress(), lo);
            rx.join(group, lo);
            tx.setOption(java.net.StandardSocketOptions.IP_MULTICAST_IF, lo);
            int port = ((java.net.InetSocketAddress) rx.getLocalAddress()).getPort();
            tx.send(java.nio.ByteBuffer.wrap(new byte[] {1}), new java.net.InetSocketAddress(group, port));
            rx.configureBlocking(false);
            for (int i = 0; i < 200; i++) {
                if (rx.receive(java.nio.ByteBuffer.allocate(4)) != null) {
                    return true;
                }
                Thread.sleep(1);
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
