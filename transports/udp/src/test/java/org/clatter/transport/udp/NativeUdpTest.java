package org.clatter.transport.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.clatter.spi.provider.Config;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportException;
import org.clatter.transport.tck.RecordingFrameSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native Linux socket path: GSO batches arrive as the same datagrams at a GRO receiver and at a plain
 * {@code DatagramChannel} (as servald reads them), order per destination survives mixed batches, the counters
 * show fewer system calls than frames, a refused GSO falls back without losing anything, close wakes the
 * receive thread, and the GRO splitter and control-message parser survive arbitrary input. Seeds are fixed
 * per test (printed by QuickTheories on failure).
 */
class NativeUdpTest {
    private static final long SEED = Long.getLong("clatter.udp.seed", 0x5eed_6507L);

    @BeforeAll
    static void nativePathIsAvailableHere() {
        // this suite runs on Linux with native access enabled for the module (the pom's argLine): say so if not
        assertTrue(LinuxSys.unavailabilityCause().isEmpty(), () -> LinuxSys.unavailabilityCause().orElseThrow());
    }

    private static boolean await(BooleanSupplier c) {
        return UdpTestPorts.await(c, 5000);
    }

    private static Transport transport(String... settings) {
        List<String> kv = new ArrayList<>(List.of("udp.native", "on", "udp.receive_buffer", "4194304"));
        kv.addAll(List.of(settings));
        return new UdpTransportProvider().create(Config.of(kv.toArray(String[]::new)));
    }

    private static UdpLinkCounters counters(Link l) {
        return UdpTransportProvider.counters(l).orElseThrow();
    }

    /** Two native links on one port, {@code b} receiving into {@code sb}. */
    private record Pair(Link a, Link b, RecordingFrameSink sb) {
    }

    private static Pair pair(Transport t) {
        int port = UdpTestPorts.freePort();
        Link a = t.open("127.1.0.1/8:" + port);
        Link b = t.open("127.1.0.2/8:" + port);
        RecordingFrameSink sb = new RecordingFrameSink(1500);
        b.start(sb);
        return new Pair(a, b, sb);
    }

    /** Sends {@code count} frames of {@code length} bytes to {@code to} in one batch, recording their bytes in {@code sent}. */
    private static void sendBatch(Link a, LinkAddress to, Arena arena, List<byte[]> sent, int count, int length) {
        a.beginBatch();
        send(a, to, arena, sent, count, length);
        a.endBatch();
    }

    /** Sends {@code count} frames of {@code length} bytes to {@code to}, recording their bytes in {@code sent}. */
    private static void send(Link a, LinkAddress to, Arena arena, List<byte[]> sent, int count, int length) {
        for (int i = 0; i < count; i++) {
            MemorySegment f = frame(arena, sent.size(), length);
            sent.add(bytes(f, length));
            assertEquals(SendResult.SENT, a.send(to, f, 0, length));
        }
    }

    /** Waits until {@code sink} holds every frame of {@code sent}, then checks bytes, order and source. */
    private static void assertReceived(RecordingFrameSink sink, List<byte[]> sent, Link from) {
        assertTrue(await(() -> sink.frameCount() == sent.size()),
                () -> sink.frameCount() + " of " + sent.size() + "; sender " + counters(from));
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), sink.frames().get(i).bytes(), "frame " + i);
            assertEquals(from.localAddress(), sink.frames().get(i).source());
        }
        assertTrue(sink.violations().isEmpty(), sink.violations()::toString);
    }

    /** A frame whose bytes say which frame it is: index, length, then a pattern from both. */
    private static MemorySegment frame(Arena arena, int index, int length) {
        MemorySegment f = arena.allocate(Math.max(length, 1));
        for (int i = 0; i < length; i++) {
            f.set(ValueLayout.JAVA_BYTE, i, (byte) (i < 4 ? index >>> (8 * i) : index * 31 + i));
        }
        return f;
    }

    private static byte[] bytes(MemorySegment f, int length) {
        return f.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void aBatchOfEqualFramesGoesOutInFewCallsAndArrivesAsTheSameDatagramsAtAGroReceiver() {
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Pair p = pair(t);
            Link a = p.a();
            Link b = p.b();
            RecordingFrameSink sb = p.sb();
            assertTrue(counters(a).nativeSocket());
            int n = 40;
            List<byte[]> sent = new ArrayList<>();
            a.beginBatch();
            send(a, b.localAddress(), arena, sent, n, 1100);
            assertEquals(0L, counters(a).sent(), "held until endBatch");
            a.endBatch();
            assertReceived(sb, sent, a);
            UdpLinkCounters ca = counters(a);
            assertEquals(n, ca.sent());
            assertEquals(1L, ca.gsoSends(), ca.toString());
            assertEquals(n, ca.gsoSegments());
            UdpLinkCounters cb = counters(b);
            assertEquals(n, cb.received());
            assertTrue(cb.groSegments() > 0 && cb.groReceives() < n, "the kernel coalesced: " + cb);
            assertEquals(0L, cb.groMalformed());
        }
    }

    @Test
    void gsoAndGroWorkOverIpv6Too() {
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Link a = t.open("[::1]/128:" + UdpTestPorts.freePort());
            Link b = t.open("[::1]/128:" + UdpTestPorts.freePort());
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            b.start(sb);
            List<byte[]> sent = new ArrayList<>();
            sendBatch(a, b.localAddress(), arena, sent, 30, 1200);
            assertReceived(sb, sent, a);
            assertEquals(1L, counters(a).gsoSends(), counters(a).toString());
            assertEquals(30L, counters(b).received());
        }
    }

    @Test
    void aPlainDatagramChannelReceiverGetsEverySegmentAsItsOwnDatagram() throws IOException {
        int port = UdpTestPorts.freePort();
        try (Transport t = transport(); Arena arena = Arena.ofConfined();
             DatagramChannel plain = DatagramChannel.open()) {
            plain.bind(new InetSocketAddress(InetAddress.getByName("127.1.0.3"), 0));
            Link a = t.open("127.1.0.1/8:" + port);
            UdpAddress to = new UdpAddress((InetSocketAddress) plain.getLocalAddress());
            int n = 64 + 7;  // more than one GSO call's worth
            List<byte[]> sent = new ArrayList<>();
            a.beginBatch();
            for (int i = 0; i < n; i++) {
                int length = i == n - 1 ? 333 : 900;  // the last one shorter, as a run allows
                MemorySegment f = frame(arena, i, length);
                sent.add(bytes(f, length));
                assertEquals(SendResult.SENT, a.send(to, f, 0, length));
            }
            a.endBatch();
            plain.configureBlocking(true);
            ByteBuffer buf = ByteBuffer.allocate(2048);
            for (int i = 0; i < n; i++) {
                buf.clear();
                plain.receive(buf);
                buf.flip();
                byte[] got = new byte[buf.remaining()];
                buf.get(got);
                assertArrayEquals(sent.get(i), got, "datagram " + i);
            }
            UdpLinkCounters ca = counters(a);
            assertEquals(n, ca.sent());
            assertEquals(2L, ca.gsoSends(), "64 segments, then the other 7: " + ca);
        }
    }

    @Test
    void mixedSizesAndDestinationsInOneBatchKeepOrderPerDestination() {
        int port = UdpTestPorts.freePort();
        SplittableRandom random = new SplittableRandom(SEED);
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Link a = t.open("127.1.0.1/8:" + port);
            Link b = t.open("127.1.0.2/8:" + port);
            Link c = t.open("127.1.0.3/8:" + port);
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            RecordingFrameSink sc = new RecordingFrameSink(1500);
            b.start(sb);
            c.start(sc);
            List<byte[]> toB = new ArrayList<>();
            List<byte[]> toC = new ArrayList<>();
            int frames = 0;
            for (int batch = 0; batch < 20; batch++) {
                a.beginBatch();
                for (int k = random.nextInt(1, 30); k > 0; k--) {
                    boolean toCee = random.nextInt(4) == 0;
                    // mostly runs of equal sizes, sometimes another size (including empty frames)
                    int length = random.nextInt(5) == 0 ? random.nextInt(0, 1201) : (toCee ? 700 : 1100);
                    MemorySegment f = frame(arena, frames++, length);
                    (toCee ? toC : toB).add(bytes(f, length));
                    assertEquals(SendResult.SENT, a.send((toCee ? c : b).localAddress(), f, 0, length));
                }
                a.endBatch();
            }
            assertTrue(await(() -> sb.frameCount() == toB.size() && sc.frameCount() == toC.size()),
                    () -> sb.frameCount() + "/" + toB.size() + ", " + sc.frameCount() + "/" + toC.size());
            for (int i = 0; i < toB.size(); i++) {
                assertArrayEquals(toB.get(i), sb.frames().get(i).bytes(), "to b, frame " + i);
            }
            for (int i = 0; i < toC.size(); i++) {
                assertArrayEquals(toC.get(i), sc.frames().get(i).bytes(), "to c, frame " + i);
            }
            UdpLinkCounters ca = counters(a);
            assertEquals(frames, ca.sent());
            long calls = ca.sent() - ca.gsoSegments() + ca.gsoSends();
            assertTrue(ca.gsoSends() > 0 && calls < frames, "fewer system calls than frames: " + ca);
        }
    }

    @Test
    void whenTheKernelRefusesGsoTheLinkFallsBackAndDeliversEverything() {
        try (Transport t = transport(); Arena arena = Arena.ofConfined()) {
            Pair p = pair(t);
            Link a = p.a();
            Link b = p.b();
            RecordingFrameSink sb = p.sb();
            ((NativeUdpIo) ((UdpLink) a).io()).refuseGso = true;
            List<byte[]> sent = new ArrayList<>();
            sendBatch(a, b.localAddress(), arena, sent, 20, 1000);
            sendBatch(a, b.localAddress(), arena, sent, 20, 1000);
            assertReceived(sb, sent, a);
            UdpLinkCounters ca = counters(a);
            assertEquals(1L, ca.gsoFallbacks(), ca.toString());
            assertEquals(0L, ca.gsoSends(), "after the refusal every frame is its own sendto");
            assertEquals(sent.size(), ca.sent());
        }
    }

    @Test
    void gsoAndGroCanBeSwitchedOffAndTheNioPathStillWorks() {
        int port = UdpTestPorts.freePort();
        try (Transport nat = transport("udp.gso", "off", "udp.gro", "off");
             Transport nio = new UdpTransportProvider().create(Config.of("udp.native", "off"));
             Arena arena = Arena.ofConfined()) {
            Link a = nat.open("127.1.0.1/8:" + port);
            Link b = nio.open("127.1.0.2/8:" + port);
            assertFalse(counters(b).nativeSocket());
            RecordingFrameSink sa = new RecordingFrameSink(1500);
            RecordingFrameSink sb = new RecordingFrameSink(1500);
            a.start(sa);
            b.start(sb);
            a.beginBatch();
            for (int i = 0; i < 10; i++) {
                assertEquals(SendResult.SENT, a.send(b.localAddress(), frame(arena, i, 500), 0, 500));
            }
            a.endBatch();
            b.beginBatch();
            for (int i = 0; i < 10; i++) {
                assertEquals(SendResult.SENT, b.send(a.localAddress(), frame(arena, i, 500), 0, 500));
            }
            b.endBatch();
            assertTrue(await(() -> sa.frameCount() == 10 && sb.frameCount() == 10));
            assertEquals(0L, counters(a).gsoSends());
            assertEquals(0L, counters(a).groReceives());
            assertEquals(10L, counters(a).sent());
        }
        assertThrows(TransportException.class, () -> transport("udp.native", "sometimes"));
    }

    @Test
    void autoQuietlyUsesDatagramChannelsWhereTheNativePathIsUnavailableAndOnSaysHowToEnableIt() {
        Optional<String> noAccess = Optional.of("native access is not enabled for org.clatter.transport.udp: run java"
                + " with --enable-native-access=org.clatter.transport.udp");
        assertFalse(UdpLink.useNative(UdpSettings.NativeMode.AUTO, noAccess));
        assertTrue(UdpLink.useNative(UdpSettings.NativeMode.AUTO, Optional.empty()));
        assertFalse(UdpLink.useNative(UdpSettings.NativeMode.OFF, Optional.empty()));
        assertTrue(UdpLink.useNative(UdpSettings.NativeMode.ON, Optional.empty()));
        var e = assertThrows(TransportException.class, () -> UdpLink.useNative(UdpSettings.NativeMode.ON, noAccess));
        assertTrue(e.getMessage().contains("--enable-native-access") && e.getMessage().contains("udp.native=auto"),
                e.getMessage());
        // and where it is available (this suite's JVM), auto takes it
        try (Transport t = new UdpTransportProvider().create(Config.of())) {
            assertTrue(counters(t.open("127.1.0.1/8:" + UdpTestPorts.freePort())).nativeSocket());
        }
    }

    @Test
    void closeWakesTheReceiveThreadPromptly() {
        int port = UdpTestPorts.freePort();
        Transport t = transport();
        Link b = t.open("127.1.0.2/8:" + port);
        b.start(new RecordingFrameSink(1500));
        Thread rx = Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().equals("clatter-udp-rx-" + b.localAddress())).findFirst().orElseThrow();
        UdpTestPorts.sleep(Duration.ofMillis(20));  // let it block in poll
        long start = System.nanoTime();
        t.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(rx.isAlive(), "the receive thread is still running after close");
        // the join gives up after 2 s; a woken thread ends in microseconds (1.5 s leaves room for a loaded machine)
        assertTrue(millis < 1_500, "close took " + millis + " ms: the eventfd did not wake the receive thread");
    }

    @Test
    void arbitraryDatagramsFromAPlainSocketArriveExactly() throws IOException {
        int port = UdpTestPorts.freePort();
        try (Transport t = transport(); DatagramChannel plain = DatagramChannel.open()) {
            plain.bind(new InetSocketAddress(InetAddress.getByName("127.1.0.4"), 0));
            Link b = t.open("127.1.0.2/8:" + port);
            RecordingFrameSink sb = new RecordingFrameSink(1300);
            b.start(sb);
            InetSocketAddress to = ((UdpAddress) b.localAddress()).socketAddress();
            UdpAddress from = new UdpAddress((InetSocketAddress) plain.getLocalAddress());
            qt().withFixedSeed(SEED).withExamples(60)
                    .forAll(lists().of(integers().between(0, 1300)).ofSizeBetween(1, 20), integers().all())
                    .checkAssert((lengths, salt) -> {
                        sb.clearFrames();
                        List<byte[]> sent = new ArrayList<>();
                        SplittableRandom r = new SplittableRandom(salt);
                        for (int length : lengths) {
                            byte[] d = new byte[length];
                            r.nextBytes(d);
                            sent.add(d);
                            try {
                                plain.send(ByteBuffer.wrap(d), to);
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                        }
                        assertTrue(await(() -> sb.frameCount() == sent.size()), sb.frameCount() + " of " + sent.size());
                        for (int i = 0; i < sent.size(); i++) {
                            assertArrayEquals(sent.get(i), sb.frames().get(i).bytes());
                            assertEquals(from, sb.frames().get(i).source());
                        }
                    });
            assertTrue(sb.violations().isEmpty(), sb.violations()::toString);
            assertEquals(0L, counters(b).receiveErrors());
        }
    }

    @Test
    void theGroSplitterNeitherLosesNorInventsBytes() {
        qt().withFixedSeed(SEED).withExamples(5000)
                .forAll(integers().between(-3, 70_000), integers().between(-3, 70_000))
                .checkAssert((total, segment) -> {
                    List<int[]> parts = new ArrayList<>();
                    UdpStats stats = new UdpStats();
                    int n = GroSplitter.split(total, segment, (offset, length) -> parts.add(new int[] {offset, length}),
                            stats);
                    assertEquals(parts.size(), n);
                    assertEquals(segment <= 0 || total < 0, GroSplitter.malformed(total, segment));
                    assertEquals(GroSplitter.malformed(total, segment) ? 1L : 0L, stats.groMalformed.get(),
                            "the malformed are counted");
                    assertEquals(n > 1 ? 1L : 0L, stats.groReceives.get());
                    assertEquals(n > 1 ? n : 0L, stats.groSegments.get());
                    if (total < 0) {
                        assertEquals(0, n);
                        return;
                    }
                    int next = 0;
                    for (int i = 0; i < parts.size(); i++) {
                        int[] p = parts.get(i);
                        assertEquals(next, p[0], "segments are contiguous");
                        assertTrue(p[1] >= 0);
                        if (segment > 0) {
                            assertTrue(p[1] <= segment, "no segment is longer than the GRO size");
                            if (i < parts.size() - 1) {
                                assertEquals(segment, p[1], "only the last segment may be shorter");
                            }
                        }
                        next += p[1];
                    }
                    assertEquals(total, next, "the segments cover exactly the bytes received");
                    assertTrue(n >= 1);
                });
    }

    @Test
    void theControlMessageParserSurvivesArbitraryBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(64, 8);
            qt().withFixedSeed(SEED).withExamples(3000)
                    .forAll(integers().all(), integers().between(0, 64), integers().between(-1, 3))
                    .checkAssert((salt, length, shape) -> {
                        SplittableRandom r = new SplittableRandom(salt);
                        for (int i = 0; i < 64; i++) {
                            control.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
                        }
                        if (shape >= 0) {
                            // a well-formed UDP_GRO message, maybe after another message
                            long at = shape == 2 ? 24 : 0;
                            if (at > 0) {
                                control.set(ValueLayout.JAVA_LONG, 0, 20);
                            }
                            control.set(ValueLayout.JAVA_LONG, at, shape == 1 ? 18 : 20);
                            control.set(ValueLayout.JAVA_INT, at + 8, LinuxSys.SOL_UDP);
                            control.set(ValueLayout.JAVA_INT, at + 12, LinuxSys.UDP_GRO);
                        }
                        int size = NativeUdpIo.groSegmentSize(control, length);
                        long at = shape == 2 ? 24 : 0;
                        if (shape >= 0 && length >= at + (shape == 1 ? 18 : 20)) {
                            int expected = shape == 1 ? control.get(ValueLayout.JAVA_SHORT, at + 16) & 0xffff
                                    : control.get(ValueLayout.JAVA_INT, at + 16);
                            assertEquals(expected, size);
                        }
                    });
        }
    }

    @Test
    void socketAddressesRoundTrip() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(LinuxSys.SOCKADDR_IN6_SIZE, 8);
            qt().withFixedSeed(SEED).withExamples(500)
                    .forAll(integers().all(), integers().between(0, 65535), integers().between(0, 1))
                    .checkAssert((salt, port, v6) -> {
                        byte[] ip = new byte[v6 == 1 ? 16 : 4];
                        new SplittableRandom(salt).nextBytes(ip);
                        try {
                            InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(ip), port);
                            int len = Sockaddr.encode(a, sa);
                            assertEquals(v6 == 1 ? 28 : 16, len);
                            InetSocketAddress back = Sockaddr.decode(sa, len);
                            assertEquals(a.getAddress(), back.getAddress());
                            assertEquals(port, back.getPort());
                            assertThrows(IllegalArgumentException.class, () -> Sockaddr.decode(sa, len - 1));
                        } catch (java.net.UnknownHostException e) {
                            throw new AssertionError(e);
                        }
                    });
        }
    }
}
