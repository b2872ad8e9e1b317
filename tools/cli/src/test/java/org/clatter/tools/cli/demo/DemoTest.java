package org.clatter.tools.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clatter.mdp.cli.DemoCommand;
import org.junit.jupiter.api.Test;

/** The full {@code clatter demo}: MDP's steps, then 1 MiB streamed A -> C over MSP across B, fast and deterministic. */
class DemoTest {
    private static String demo(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Demo.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        String out = o.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out + e.toString(StandardCharsets.UTF_8));
        return out;
    }

    /** The output without the real-time lines. */
    private static String virtualPart(String out) {
        return out.lines().filter(l -> !l.contains("of real time")).reduce("", (x, y) -> x + y + "\n");
    }

    @Test
    void theStepsAreMdpsThenTheMspFileTransfer() {
        var steps = Demo.steps();
        assertEquals(DemoCommand.steps().size() + 2, steps.size());
        for (int i = 0; i < DemoCommand.steps().size(); i++) {
            assertEquals(DemoCommand.steps().get(i).title(), steps.get(i).title());
        }
        assertTrue(steps.get(steps.size() - 2) instanceof MspFileStep);
        assertTrue(steps.getLast() instanceof RhizomeSyncStep);
    }

    @Test
    void theDemoStreamsAMebibyteAcrossTwoHopsWithMatchingSha256InUnderFiveSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        String out = demo();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        System.out.print(out);
        System.out.printf("demo: %.2f s of CPU, %.2f s of wall-clock time%n", cpuSeconds, seconds);
        // The demo runs on this one thread in virtual time, so its CPU time is what it costs wherever it runs.
        // A busy machine (CI shares two cores with other builds) stretches only the wall-clock time (5.4-9.2 s
        // were seen for 0.7-1.1 s of CPU), so the 5 s wall-clock bound applies when a core is free.
        assertTrue(cpuSeconds < 5, "the whole demo runs in under 5 s of CPU time: " + cpuSeconds + " s (wall-clock "
                + seconds + " s)\n" + out);
        var os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        boolean quiet = load >= 0 && load < os.getAvailableProcessors();
        assertTrue(seconds < (quiet ? 5 : 120), "the whole demo runs in under 5 s on a quiet machine (load " + load
                + "), and finishes on a busy one: " + seconds + " s\n" + out);
        assertTrue(out.contains("A reaches C through B"), out);
        assertTrue(out.contains("A -> B -> C -> B -> A"), out);
        Matcher m = Pattern.compile("C received (\\d+) bytes in ([0-9.]+) s of virtual time: ([0-9.]+) MB/s")
                .matcher(out);
        assertTrue(m.find(), out);
        assertEquals(Demo.FILE_BYTES, Integer.parseInt(m.group(1)));
        double virtualSeconds = Double.parseDouble(m.group(2));
        // two hops of 10 ms each way: at least a few round trips of 40 ms
        assertTrue(virtualSeconds > 0.1, m.group());
        double rate = Demo.FILE_BYTES / virtualSeconds / 1e6;
        assertEquals(rate, Double.parseDouble(m.group(3)), rate * 0.01, m.group());
        Matcher sent = Pattern.compile("SHA-256 sent +([0-9a-f]{64})").matcher(out);
        Matcher got = Pattern.compile("SHA-256 received +([0-9a-f]{64}) +\\(match\\)").matcher(out);
        assertTrue(sent.find() && got.find(), out);
        assertEquals(sent.group(1), got.group(1));
        assertTrue(out.contains("stream closed: A NORMAL, C NORMAL"), out);
        assertTrue(out.contains("of real time"), out);
        assertTrue(out.contains("demo OK"), out);
        assertTrue(out.contains("after 10 s: B holds 0 of them, C 0"), out);
        assertTrue(out.contains("C stored both bundles from B; payload intact; C reads: \"Water at the north well, seed 1\" from A"), out);
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
        String a = virtualPart(demo("--seed", "5"));
        assertEquals(a, virtualPart(demo("--seed", "5")));
        String b = virtualPart(demo("--seed", "6", "--loss", "0.2"));
        assertTrue(!a.equals(b));
        assertTrue(b.contains("20% loss"), b);
        assertTrue(b.contains("(match)"), b);
    }
}
