package org.clatter.transport.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.SendResult;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;

/**
 * The transport conformance suite. A transport plugin subclasses it in its own tests and implements three
 * hooks: {@link #createTransport()} (a fresh transport per test), {@link #linkSpecs()} (two link
 * specifications, opened on that transport, that can reach each other) and {@link #pump(Duration)} (let time
 * pass: sleep for a real medium, advance the virtual scheduler for a simulated one).
 *
 * <p>Each test opens link A and link B, starts both on a {@link RecordingFrameSink} (which checks the
 * claim/publish protocol), and checks one property with QuickTheories over random frames. The seed is fixed
 * per run and printed on failure; replay with {@code -Dclatter.tck.seed=N}.
 */
public abstract class TransportConformanceTest {

    /** System property that fixes the QuickTheories seed (printed in every failure message). */
    public static final String SEED_PROPERTY = "clatter.tck.seed";

    private static final long SEED = Long.getLong(SEED_PROPERTY, System.nanoTime());

    protected Transport transport;
    protected Link a;
    protected Link b;
    protected RecordingFrameSink sinkA;
    protected RecordingFrameSink sinkB;
    private Arena arena;

    /** A fresh transport of the kind under test; the suite closes it after each test. */
    protected abstract Transport createTransport();

    /**
     * Two link specifications for {@link Transport#open} on the transport just created, such that a frame sent
     * from the first link to the second link's {@link Link#localAddress()} arrives (and, if the links
     * broadcast, a broadcast from the first reaches the second).
     */
    protected abstract List<String> linkSpecs();

    /** Lets {@code duration} of the medium's time pass (real sleep, or advancing a virtual scheduler). */
    protected abstract void pump(Duration duration);

    /** How long to pump, in total, before a frame that has not arrived counts as lost. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(5);
    }

    /** One pump step while waiting for frames. */
    protected Duration pumpStep() {
        return Duration.ofMillis(1);
    }

    /** Examples per property; lower it for slow media. */
    protected int examples() {
        return 40;
    }

    /** Slot size of the recording sinks: at least the largest frame either link can receive. */
    protected int slotCapacity() {
        return Math.max(a.info().mtu(), b.info().mtu()) + 64;
    }

    @BeforeEach
    void openLinks() {
        arena = Arena.ofShared();
        transport = createTransport();
        List<String> specs = linkSpecs();
        assertEquals(2, specs.size(), "linkSpecs() must give exactly two specifications");
        a = transport.open(specs.get(0));
        b = transport.open(specs.get(1));
        sinkA = new RecordingFrameSink(slotCapacity());
        sinkB = new RecordingFrameSink(slotCapacity());
        a.start(sinkA);
        b.start(sinkB);
    }

    @AfterEach
    void closeLinks() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (arena != null) {
            arena.close();
        }
        if (sinkA != null && sinkB != null) {
            assertEquals(List.of(), sinkA.violations(), "slot protocol breaches on link A");
            assertEquals(List.of(), sinkB.violations(), "slot protocol breaches on link B");
            assertEquals(0, sinkA.outstanding(), "link A left claimed slots unpublished after close()");
            assertEquals(0, sinkB.outstanding(), "link B left claimed slots unpublished after close()");
        }
    }

    /** A QuickTheories runner with this run's seed and the configured number of examples. */
    protected QuickTheory qt() {
        return QuickTheory.qt().withFixedSeed(SEED).withExamples(examples()).withShrinkCycles(20);
    }

    /** The message suffix every failure carries, so the run can be replayed. */
    protected static String replay() {
        return " (replay with -D" + SEED_PROPERTY + "=" + SEED + ")";
    }

    /** Pumps until {@code condition} holds or {@link #deliveryTimeout()} has been pumped; returns the condition. */
    protected boolean pumpUntil(BooleanSupplier condition) {
        long budget = deliveryTimeout().toNanos();
        long step = pumpStep().toNanos();
        long pumped = 0;
        while (!condition.getAsBoolean()) {
            if (pumped >= budget) {
                return condition.getAsBoolean();
            }
            pump(pumpStep());
            pumped += step;
        }
        return true;
    }

    /** Sends, pumping and retrying while the link says {@link SendResult#BACK_PRESSURED}. */
    protected int sendRetrying(Link from, LinkAddress to, MemorySegment frame, long offset, int length) {
        int r = from.send(to, frame, offset, length);
        for (int i = 0; r == SendResult.BACK_PRESSURED && i < 10_000; i++) {
            pump(pumpStep());
            r = from.send(to, frame, offset, length);
        }
        return r;
    }

    private MemorySegment randomFrame(SplittableRandom rnd, long offset, int length) {
        MemorySegment seg = arena.allocate(offset + length + 16);
        for (long i = 0; i < seg.byteSize(); i++) {
            seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
        }
        return seg;
    }

    private static byte[] bytes(MemorySegment seg, long offset, int length) {
        return seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private int commonMtu() {
        return Math.min(a.info().mtu(), b.info().mtu());
    }

    @Test
    void linkInfoIsSane() {
        for (Link l : List.of(a, b)) {
            LinkInfo info = l.info();
            assertNotNull(info);
            assertFalse(info.name().isBlank(), "LinkInfo.name must say which link this is");
            assertEquals(transport.kind(), info.kind(), "LinkInfo.kind must be the transport's kind");
            assertEquals(info.kind(), l.localAddress().kind(), "the local address must be of the link's kind");
            assertTrue(info.mtu() > 0 && info.mtu() <= 65_507, "MTU out of range: " + info.mtu());
            assertFalse(info.maxLatency().isNegative(), "maxLatency must not be negative");
            assertTrue(info.idleTimeout().isPositive(), "idleTimeout must be positive");
            assertTrue(info.duplex(), "links that reach each other both ways must be duplex");
            assertEquals(info.broadcast(), l.broadcastAddress().isPresent(),
                    "broadcastAddress() must be present exactly when info().broadcast()");
            l.broadcastAddress().ifPresent(ba -> assertEquals(info.kind(), ba.kind()));
            LinkState s = l.state();
            assertTrue(s == LinkState.ACTIVE || s == LinkState.ENABLING, "a fresh link is ACTIVE or ENABLING: " + s);
        }
        assertFalse(a.localAddress().equals(b.localAddress()), "the two links must have different addresses");
    }

    @Test
    void startingTwiceIsAnError() {
        assertThrows(RuntimeException.class, () -> a.start(new RecordingFrameSink(slotCapacity())));
    }

    @Test
    void anyFrameUpToTheMtuArrivesIntactFromTheSender() {
        assertTrue(pumpUntil(() -> b.state() == LinkState.ACTIVE && a.state() == LinkState.ACTIVE), "links never became ACTIVE");
        int mtu = commonMtu();
        qt().forAll(integers().between(1, mtu), integers().between(0, 64), longs().all())
                .checkAssert((length, offset, seed) -> {
                    sinkB.clearFrames();
                    MemorySegment frame = randomFrame(new SplittableRandom(seed), offset, length);
                    byte[] expected = bytes(frame, offset, length);
                    int r = sendRetrying(a, b.localAddress(), frame, offset, length);
                    assertEquals(SendResult.SENT, r, "send gave " + SendResult.describe(r) + replay());
                    assertTrue(pumpUntil(() -> sinkB.frameCount() >= 1),
                            "a " + length + "-byte frame never arrived" + replay());
                    RecordingFrameSink.Frame got = sinkB.frames().getFirst();
                    assertEquals(length, got.length(), "wrong length" + replay());
                    assertArrayEquals(expected, got.bytes(), "corrupted frame" + replay());
                    assertEquals(a.localAddress(), got.source(), "wrong source address" + replay());
                    assertTrue(got.link() == b, "frame reported on the wrong link" + replay());
                });
    }

    @Test
    void burstsArriveWithoutCorruption() {
        int mtu = commonMtu();
        qt().withExamples(Math.max(5, examples() / 4))
                .forAll(integers().between(1, 32), integers().between(1, mtu), longs().all())
                .checkAssert((count, maxLength, seed) -> {
                    sinkB.clearFrames();
                    SplittableRandom rnd = new SplittableRandom(seed);
                    List<String> sent = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        int length = 1 + rnd.nextInt(maxLength);
                        MemorySegment frame = randomFrame(rnd, 0, length);
                        sent.add(HexFormat.of().formatHex(bytes(frame, 0, length)));
                        int r = sendRetrying(a, b.localAddress(), frame, 0, length);
                        assertEquals(SendResult.SENT, r, "send gave " + SendResult.describe(r) + replay());
                    }
                    assertTrue(pumpUntil(() -> sinkB.frameCount() >= count),
                            "only " + sinkB.frameCount() + " of " + count + " frames arrived" + replay());
                    pump(pumpStep());
                    List<String> got = new ArrayList<>();
                    for (RecordingFrameSink.Frame f : sinkB.frames()) {
                        got.add(HexFormat.of().formatHex(f.bytes()));
                        assertEquals(a.localAddress(), f.source(), "wrong source address" + replay());
                    }
                    List<String> sortedSent = new ArrayList<>(sent);
                    sortedSent.sort(null);
                    got.sort(null);
                    assertEquals(sortedSent, got, "the burst arrived corrupted, duplicated or incomplete" + replay());
                });
    }

    @Test
    void framesOverTheMtuAreRefusedAsTooLarge() {
        int mtu = a.info().mtu();
        qt().forAll(integers().between(mtu + 1, mtu + 2048)).checkAssert(length -> {
            MemorySegment frame = arena.allocate(length);
            assertEquals(SendResult.TOO_LARGE, a.send(b.localAddress(), frame, 0, length),
                    "a " + length + "-byte frame over the " + mtu + "-byte MTU" + replay());
            if (a.info().broadcast()) {
                assertEquals(SendResult.TOO_LARGE, a.broadcast(frame, 0, length), "broadcast over the MTU" + replay());
            }
        });
        pump(pumpStep());
        assertEquals(0, sinkB.frameCount(), "a refused frame was delivered");
    }

    @Test
    void broadcastReachesThePeerIffTheLinkBroadcasts() {
        assertTrue(pumpUntil(() -> b.state() == LinkState.ACTIVE && a.state() == LinkState.ACTIVE), "links never became ACTIVE");
        int mtu = commonMtu();
        qt().withExamples(Math.max(5, examples() / 4)).forAll(integers().between(1, mtu), longs().all())
                .checkAssert((length, seed) -> {
                    sinkA.clearFrames();
                    sinkB.clearFrames();
                    MemorySegment frame = randomFrame(new SplittableRandom(seed), 0, length);
                    int r = a.broadcast(frame, 0, length);
                    if (!a.info().broadcast()) {
                        assertEquals(SendResult.NO_BROADCAST, r, "a link without broadcast" + replay());
                        return;
                    }
                    assertEquals(SendResult.SENT, r, "broadcast gave " + SendResult.describe(r) + replay());
                    assertTrue(pumpUntil(() -> sinkB.frameCount() >= 1), "the broadcast never reached B" + replay());
                    RecordingFrameSink.Frame got = sinkB.frames().getFirst();
                    assertArrayEquals(bytes(frame, 0, length), got.bytes(), "corrupted broadcast" + replay());
                    assertEquals(a.localAddress(), got.source(), "wrong source address" + replay());
                    pump(pumpStep());
                    assertEquals(0, sinkA.frameCount(), "a link heard its own broadcast" + replay());
                });
    }

    @Test
    void addressesRoundTripThroughText() {
        List<LinkAddress> known = new ArrayList<>(List.of(a.localAddress(), b.localAddress()));
        a.broadcastAddress().ifPresent(known::add);
        for (LinkAddress addr : known) {
            LinkAddress parsed = a.parseAddress(addr.toString());
            assertEquals(addr, parsed, "parseAddress(toString()) of " + addr);
            assertEquals(addr.hashCode(), parsed.hashCode(), "hashCode of a parsed " + addr);
            assertEquals(addr.kind(), parsed.kind());
            assertArrayEquals(addr.toBytes(), parsed.toBytes());
            assertEquals(addr, b.parseAddress(addr.toString()), "the other link parses it alike");
        }
    }

    @Test
    void parsingArbitraryTextGivesAnAddressOrATransportException() {
        qt().withExamples(examples() * 10).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(text -> {
            try {
                LinkAddress parsed = a.parseAddress(text);
                assertEquals(parsed, a.parseAddress(parsed.toString()), "re-parsing " + parsed + replay());
            } catch (TransportException expected) {
                assertNotNull(expected.getMessage(), "a TransportException must say what is wrong");
            } catch (RuntimeException e) {
                fail("parseAddress(" + text + ") threw " + e + " instead of TransportException" + replay());
            }
        });
    }

    @Test
    void sendingToAnAddressOfAnotherKindIsUnreachable() {
        LinkAddress foreign = new LinkAddress() {
            @Override
            public String kind() {
                return "tck-foreign";
            }

            @Override
            public byte[] toBytes() {
                return new byte[] {1, 2, 3};
            }
        };
        MemorySegment frame = arena.allocate(8);
        assertEquals(SendResult.UNREACHABLE, a.send(foreign, frame, 0, 8));
    }

    @Test
    void closeDisablesNotifiesAndIsIdempotent() {
        List<LinkState> seen = new CopyOnWriteArrayList<>();
        a.addStateListener((link, previous, current) -> {
            assertTrue(link == a);
            seen.add(current);
        });
        a.close();
        assertEquals(LinkState.DISABLED, a.state());
        assertTrue(pumpUntil(() -> seen.contains(LinkState.DISABLED)), "listeners were not told of DISABLED");
        MemorySegment frame = arena.allocate(16);
        assertEquals(SendResult.CLOSED, a.send(b.localAddress(), frame, 0, 16), "send after close()");
        int br = a.broadcast(frame, 0, 16);
        assertTrue(br == SendResult.CLOSED || (!a.info().broadcast() && br == SendResult.NO_BROADCAST),
                "broadcast after close() gave " + SendResult.describe(br));
        assertDoesNotThrow(a::close);
        assertEquals(LinkState.DISABLED, a.state());
        pump(pumpStep());
        assertEquals(1, seen.stream().filter(s -> s == LinkState.DISABLED).count(), "DISABLED reported more than once");
        assertEquals(0, sinkA.outstanding(), "a closed link holds a claimed slot");
    }

    @Test
    void everyClaimedSlotIsPublishedExactlyOnce() {
        int mtu = commonMtu();
        SplittableRandom rnd = new SplittableRandom(SEED);
        int count = 200;
        int expected = 0;
        for (int i = 0; i < count; i++) {
            int length = 1 + rnd.nextInt(mtu);
            MemorySegment frame = randomFrame(rnd, 0, length);
            assertEquals(SendResult.SENT, sendRetrying(a, b.localAddress(), frame, 0, length), replay());
            expected++;
            if (a.info().broadcast() && i % 10 == 0) {
                assertEquals(SendResult.SENT, a.broadcast(frame, 0, length), replay());
                expected++;
            }
        }
        int total = expected;
        assertTrue(pumpUntil(() -> sinkB.frameCount() >= total),
                "only " + sinkB.frameCount() + " of " + total + " frames arrived" + replay());
        assertTrue(pumpUntil(() -> sinkA.outstanding() == 0 && sinkB.outstanding() == 0), "slots left unpublished");
        assertEquals(List.of(), sinkB.violations());
        assertEquals(sinkB.claims(), sinkB.publishes(), "claims and publishes differ");
        assertEquals(sinkB.publishes(), sinkB.frameCount() + sinkB.discards(), "published slots not accounted for");
    }
}
