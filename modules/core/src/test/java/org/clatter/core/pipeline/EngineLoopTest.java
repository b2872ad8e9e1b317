package org.clatter.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.clatter.core.buffer.Bytes;
import org.clatter.core.time.Scheduler;
import org.junit.jupiter.api.Test;

class EngineLoopTest {
    static final long MS = 1_000_000L;
    final TestLink link = new TestLink();
    final TestLink.Address peer = new TestLink.Address("peer");

    /**
     * Rounds of a real-time measurement: a busy machine (CI shares two cores with other builds) can delay one round
     * by milliseconds, but an engine that misses wake-ups (waiting for its 100 ms safety-net park) fails every one.
     */
    static final int ROUNDS = 5;

    /** Runs {@code round} until it returns null (its bounds held); fails with every round's miss after {@link #ROUNDS}. */
    static void inSomeRound(String what, RoundBody round) throws Exception {
        List<String> misses = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            String miss = round.run(r);
            if (miss == null) {
                return;
            }
            System.out.println(what + ": round " + r + " missed: " + miss);
            misses.add(miss);
        }
        throw new AssertionError(what + " failed in all " + ROUNDS + " rounds: " + misses);
    }

    @FunctionalInterface
    interface RoundBody {
        /** @return null if the round's timing bounds held, else what was missed */
        String run(int round) throws Exception;
    }

    /**
     * Whether the machine has a core to spare: load average below the number of cores. The engine woken on a busy
     * machine waits for a core (wake-ups of 1-4 ms and timers 5-20 ms late measured at load 7-15 on two cores, while
     * a plain thread blocked on a queue still woke in 0.1 ms), so the tight bounds only hold on a quiet one.
     */
    static boolean quietMachine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        return load >= 0 && load < os.getAvailableProcessors();
    }

    @Test
    void timersFireInDeadlineOrderAndOnTime() throws Exception {
        long seed = System.nanoTime();
        System.out.println("EngineLoopTest.timersFireInDeadlineOrderAndOnTime seed " + seed);
        Random rnd = new Random(seed);
        int n = 40;
        try (Pipeline p = Pipeline.builder().name("timers").build()) {
            p.start(f -> { });
            inSomeRound("timers on time (seed " + seed + ")", round -> {
                long base = System.nanoTime() + 200 * MS; // margin: scheduling all 40 must finish before the first is due
                long[] due = new long[n];
                long[] ran = new long[n];
                List<Integer> order = new CopyOnWriteArrayList<>();
                CountDownLatch done = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    int id = i;
                    due[i] = base + rnd.nextInt(150) * MS;
                    p.engine().schedule(due[i], () -> {
                        ran[id] = System.nanoTime();
                        order.add(id);
                        done.countDown();
                    });
                }
                long scheduled = System.nanoTime();
                assertTrue(done.await(5, TimeUnit.SECONDS), "seed " + seed);
                for (int i = 0; i < n; i++) {
                    long early = due[i] - ran[i];
                    assertTrue(early <= 0, "timer " + i + " ran " + early + " ns early (seed " + seed + ")");
                }
                if (scheduled >= base) {
                    // the machine stalled this thread past the margin: a timer may have run before a later
                    // but earlier-due one was submitted, so this round says nothing about the order
                    return "scheduling the timers took " + (scheduled - base + 200 * MS) / MS + " ms (margin 200 ms)";
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(i);
                }
                expected.sort(Comparator.<Integer>comparingLong(i -> due[i]).thenComparing(i -> i));
                assertEquals(expected, order, "deadline order, ties in scheduling order (seed " + seed + ")");
                long[] late = new long[n];
                for (int i = 0; i < n; i++) {
                    late[i] = ran[i] - due[i];
                }
                Arrays.sort(late);
                // 5 ms median and 100 ms at most when a core is free. On a busy machine the woken engine waits for a
                // core (a 20 ms median and 177 ms at most were seen at load 12 on two cores), so there the bounds only
                // tell timers that fire at their deadline from an engine that sleeps through them.
                boolean quiet = quietMachine();
                long medianBound = quiet ? 5 * MS : 20 * MS;
                long maxBound = quiet ? 100 * MS : 500 * MS;
                System.out.printf("timer lateness: median %d us, max %d us (bounds %d and %d us, %s machine)%n",
                        late[n / 2] / 1000, late[n - 1] / 1000, medianBound / 1000, maxBound / 1000,
                        quiet ? "quiet" : "busy");
                if (late[n - 1] >= maxBound || late[n / 2] >= medianBound) {
                    return "lateness median " + late[n / 2] / 1000 + " us (bound " + medianBound / 1000 + " us), max "
                            + late[n - 1] / 1000 + " us (bound " + maxBound / 1000 + " us) on a "
                            + (quiet ? "quiet" : "busy") + " machine";
                }
                return null;
            });
        }
    }

    @Test
    void tasksRunOnTheEngineThreadInSubmissionOrder() throws Exception {
        try (Pipeline p = Pipeline.builder().name("tasks").build()) {
            p.start(f -> { });
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<String> threads = new CopyOnWriteArrayList<>();
            AtomicInteger fromEngine = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            long at = System.nanoTime() + 10 * MS;
            for (int i = 0; i < 100; i++) {
                int id = i;
                p.engine().schedule(at, () -> {
                    order.add(id);
                    threads.add(Thread.currentThread().getName());
                    if (p.engine().inEngineThread()) {
                        fromEngine.incrementAndGet();
                    }
                });
            }
            p.engine().execute(() -> p.engine().execute(() -> {
                fromEngine.incrementAndGet();
                done.countDown();
            }));
            assertTrue(done.await(2, TimeUnit.SECONDS));
            Frames.await(() -> order.size() == 100, 2_000, order::toString);
            for (int i = 0; i < 100; i++) {
                assertEquals(i, (int) order.get(i));
            }
            assertTrue(threads.stream().allMatch("tasks-engine"::equals), threads.toString());
            assertEquals(101, fromEngine.get());
            assertFalse(p.engine().inEngineThread());
        }
    }

    @Test
    void cancelledTimersDoNotRun() throws Exception {
        try (Pipeline p = Pipeline.builder().name("cancel").build()) {
            p.start(f -> { });
            AtomicInteger ran = new AtomicInteger();
            Scheduler.Cancellable c = p.engine().schedule(System.nanoTime() + 30 * MS, ran::incrementAndGet);
            CountDownLatch later = new CountDownLatch(1);
            p.engine().schedule(System.nanoTime() + 60 * MS, later::countDown);
            Scheduler.Cancellable quick = p.engine().execute(ran::incrementAndGet);
            assertTrue(c.cancel());
            assertFalse(c.cancel(), "a second cancel reports false");
            assertTrue(later.await(2, TimeUnit.SECONDS));
            assertEquals(1, ran.get(), "only the uncancelled task ran");
            assertFalse(quick.cancel(), "a task that ran cannot be cancelled");
        }
    }

    @Test
    void exceptionsAreCountedAndLoggedNotFatal() throws Exception {
        List<Long> handled = new CopyOnWriteArrayList<>();
        try (Pipeline p = Pipeline.builder().name("errors").build()) {
            p.start(f -> {
                long v = Bytes.getU64BE(f.segment(), 0);
                if (v % 2 == 1) {
                    throw new IllegalStateException("odd frame");
                }
                handled.add(v);
            });
            for (long v = 0; v < 10; v++) {
                Frames.receive(p.inbound(), link, peer, v);
            }
            p.engine().execute(() -> {
                throw new IllegalArgumentException("bad task");
            });
            CountDownLatch after = new CountDownLatch(1);
            p.engine().execute(after::countDown);
            assertTrue(after.await(2, TimeUnit.SECONDS), "tasks after a failing one still run");
            Frames.await(() -> handled.size() == 5, 2_000, handled::toString);
            assertEquals(List.of(0L, 2L, 4L, 6L, 8L), handled);
            assertEquals(6L, p.counters().counter("engine.exceptions").get());
            var entries = p.errorLog().entries();
            assertEquals(2, entries.size(), p.errorLog().format());
            assertEquals("engine.onFrame", entries.get(0).site());
            assertEquals(5L, entries.get(0).count());
            assertEquals("engine.task", entries.get(1).site());
            Frames.receive(p.inbound(), link, peer, 42);
            Frames.await(() -> handled.size() == 6, 2_000, handled::toString);
        }
    }

    @Test
    void wakesPromptlyFromIdleForTasksAndFrames() throws Exception {
        AtomicLong frameLatency = new AtomicLong(-1);
        try (Pipeline p = Pipeline.builder().name("wake").build()) {
            p.start(f -> frameLatency.set(System.nanoTime() - f.receivedNanos()));
            int tries = 21;
            inSomeRound("wake-up from park", round -> {
                long[] taskLatency = new long[tries];
                long[] frameLat = new long[tries];
                for (int i = 0; i < tries; i++) {
                    Thread.sleep(5); // long enough for the loop to back off and park
                    long t0 = System.nanoTime();
                    AtomicLong started = new AtomicLong();
                    CountDownLatch done = new CountDownLatch(1);
                    p.engine().execute(() -> {
                        started.set(System.nanoTime());
                        done.countDown();
                    });
                    assertTrue(done.await(1, TimeUnit.SECONDS));
                    taskLatency[i] = started.get() - t0;
                    Thread.sleep(5);
                    frameLatency.set(-1);
                    Frames.receive(p.inbound(), link, peer, i);
                    Frames.await(() -> frameLatency.get() >= 0, 1_000, () -> "frame");
                    frameLat[i] = frameLatency.get();
                }
                Arrays.sort(taskLatency);
                Arrays.sort(frameLat);
                // 1 ms when a core is free. On a busy machine the woken engine waits for a core, so there the bound
                // only tells a signalled wake-up from one that waited out the 100 ms safety-net park.
                boolean quiet = quietMachine();
                long bound = quiet ? MS : 20 * MS;
                System.out.printf("wake-up latency from park: task median %d us, frame median %d us (bound %d us, %s"
                        + " machine)%n", taskLatency[tries / 2] / 1000, frameLat[tries / 2] / 1000, bound / 1000,
                        quiet ? "quiet" : "busy");
                if (taskLatency[tries / 2] >= bound || frameLat[tries / 2] >= bound) {
                    return "median task wake-up " + taskLatency[tries / 2] + " ns, frame " + frameLat[tries / 2]
                            + " ns (bound " + bound + " ns on a " + (quiet ? "quiet" : "busy") + " machine)";
                }
                return null;
            });
        }
    }

    @Test
    void idleLoopsDoNotBurnACore() throws Exception {
        var mx = ManagementFactory.getThreadMXBean();
        try (Pipeline p = Pipeline.builder().name("idle").build()) {
            p.start(f -> { });
            AtomicReference<Thread> engine = new AtomicReference<>();
            CountDownLatch got = new CountDownLatch(1);
            p.engine().execute(() -> {
                engine.set(Thread.currentThread());
                got.countDown();
            });
            assertTrue(got.await(1, TimeUnit.SECONDS));
            Thread drainer = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("idle-outbound")).findFirst().orElseThrow();
            Thread.sleep(100);
            long e0 = mx.getThreadCpuTime(engine.get().threadId());
            long d0 = mx.getThreadCpuTime(drainer.threadId());
            long t0 = System.nanoTime();
            Thread.sleep(500);
            long wall = System.nanoTime() - t0;
            long engineCpu = mx.getThreadCpuTime(engine.get().threadId()) - e0;
            long drainerCpu = mx.getThreadCpuTime(drainer.threadId()) - d0;
            System.out.printf("idle CPU over %d ms: engine %.3f%%, drainer %.3f%%%n", wall / MS,
                    100.0 * engineCpu / wall, 100.0 * drainerCpu / wall);
            assertTrue(engineCpu < wall / 100, "idle engine used " + engineCpu + " ns of CPU in " + wall + " ns");
            assertTrue(drainerCpu < wall / 100, "idle drainer used " + drainerCpu + " ns of CPU in " + wall + " ns");
        }
    }
}
