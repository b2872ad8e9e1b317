package org.clatter.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clatter.core.buffer.Bytes;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;
import org.clatter.spi.transport.SendResult;
import org.junit.jupiter.api.Test;

/**
 * The drainer brackets consecutive frames for one link with {@link Link#beginBatch()} / {@link Link#endBatch()}:
 * every send happens inside a batch of its own link, a batch closes when the link changes, and nothing is held
 * once the drainer has caught up (Disruptor's {@code endOfBatch}).
 */
class OutboundBatchTest {

    /** Records begin/send/end calls from every link into one shared log, in call order. */
    static final class RecordingLink implements Link {
        final String name;
        final List<String> log;

        RecordingLink(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void beginBatch() {
            log.add("begin " + name);
        }

        @Override
        public void endBatch() {
            log.add("end " + name);
        }

        @Override
        public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
            log.add("send " + name + " " + Bytes.getU64BE(frame, offset));
            return SendResult.SENT;
        }

        @Override
        public int broadcast(MemorySegment frame, long offset, int length) {
            log.add("broadcast " + name + " " + Bytes.getU64BE(frame, offset));
            return SendResult.SENT;
        }

        @Override
        public LinkInfo info() {
            return new LinkInfo(name, "test", 2048, 0, true, false, true, Duration.ofMillis(10),
                    Duration.ofSeconds(10), false);
        }

        @Override
        public LinkState state() {
            return LinkState.ACTIVE;
        }

        @Override
        public LinkAddress localAddress() {
            return new TestLink.Address(name);
        }

        @Override
        public Optional<LinkAddress> broadcastAddress() {
            return Optional.of(TestLink.BROADCAST);
        }

        @Override
        public LinkAddress parseAddress(String text) {
            return new TestLink.Address(text);
        }

        @Override
        public void start(FrameSink sink) {
        }

        @Override
        public void addStateListener(LinkStateListener listener) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void consecutiveFramesForOneLinkShareABatchAndTheBatchClosesWhenTheLinkChanges() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        RecordingLink a = new RecordingLink("a", log);
        RecordingLink b = new RecordingLink("b", log);
        try (Pipeline p = Pipeline.builder().name("batch").slotSize(64).build(); Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(8);
            OutboundPublisher out = p.outbound();
            // published before the drainer starts, so it sees all five in one Disruptor batch
            RecordingLink[] order = {a, a, b, a, a};
            for (int i = 0; i < order.length; i++) {
                Bytes.putU64BE(frame, 0, i);
                int r = i == 2 ? out.broadcast(order[i], frame, 0, 8) : out.send(order[i], TestLink.BROADCAST, frame, 0, 8);
                assertEquals(SendResult.SENT, r);
            }
            p.start(f -> { });
            Frames.await(() -> log.size() >= 11, 2_000, log::toString);
            assertEquals(List.of("begin a", "send a 0", "send a 1", "end a", "begin b", "broadcast b 2", "end b",
                    "begin a", "send a 3", "send a 4", "end a"), List.copyOf(log));
        }
    }

    @Test
    void everySendIsInsideABatchOfItsLinkAndNothingIsHeldWhenTheDrainerCatchesUp() {
        qt().withExamples(30).forAll(lists().of(integers().between(0, 2)).ofSizeBetween(1, 60), integers().between(0, 3))
                .checkAssert((links, pauseEvery) -> {
                    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
                    RecordingLink[] all = {new RecordingLink("x", log), new RecordingLink("y", log),
                            new RecordingLink("z", log)};
                    try (Pipeline p = Pipeline.builder().name("batchprop").slotSize(64).build();
                         Arena arena = Arena.ofConfined()) {
                        p.start(f -> { });
                        MemorySegment frame = arena.allocate(8);
                        for (int i = 0; i < links.size(); i++) {
                            Bytes.putU64BE(frame, 0, i);
                            assertEquals(SendResult.SENT, p.outbound().send(all[links.get(i)], TestLink.BROADCAST, frame, 0, 8));
                            if (pauseEvery > 0 && i % pauseEvery == 0) {
                                Thread.yield();
                            }
                        }
                        // quiescent: every frame sent and the last batch closed
                        Frames.await(() -> countSends(log) == links.size() && isClosed(log), 5_000, log::toString);
                        checkBracketing(List.copyOf(log), links, all);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static long countSends(List<String> log) {
        synchronized (log) {
            return log.stream().filter(s -> s.startsWith("send")).count();
        }
    }

    private static boolean isClosed(List<String> log) {
        synchronized (log) {
            return !log.isEmpty() && log.getLast().startsWith("end");
        }
    }

    private static void checkBracketing(List<String> log, List<Integer> links, RecordingLink[] all) {
        String open = null;
        int next = 0;
        for (String e : log) {
            String[] w = e.split(" ");
            switch (w[0]) {
                case "begin" -> {
                    assertEquals(null, open, "a batch began inside another: " + log);
                    open = w[1];
                }
                case "end" -> {
                    assertEquals(w[1], open, "a batch ended that was not open: " + log);
                    open = null;
                }
                default -> {
                    assertEquals(w[1], open, "a send outside its link's batch: " + log);
                    assertEquals(all[links.get(next)].name, w[1], "frames went to the wrong link: " + log);
                    assertEquals(Integer.toString(next), w[2], "frames out of order: " + log);
                    next++;
                }
            }
        }
        assertEquals(null, open, "a batch is still open after the drainer caught up: " + log);
        assertTrue(next == links.size());
    }
}
