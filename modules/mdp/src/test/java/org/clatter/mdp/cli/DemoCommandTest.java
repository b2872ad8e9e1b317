package org.clatter.mdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code clatter demo}: converges, pings A to C through B, traces, looks up a DID, fast and deterministic. */
class DemoCommandTest {
    private static String demo(String... args) {
        CommandRun.Result r = CommandRun.run(DemoCommand::run, args);
        assertEquals(0, r.code(), r.out() + r.err());
        return r.out();
    }

    /** The output without the real-time line. */
    private static String virtualPart(String out) {
        return out.lines().filter(l -> !l.contains("of real time")).reduce("", (x, y) -> x + y + "\n");
    }

    @Test
    void theDemoShowsDiscoveryPingTraceAndSummaryQuickly() {
        long start = System.nanoTime();
        String out = demo();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "the demo runs in under 5 s: " + seconds);
        assertTrue(out.contains("A reaches C through B"), out);
        assertTrue(out.contains("C reaches A through B"), out);
        assertTrue(out.contains("every node reaches every other"), out);
        Matcher m = Pattern.compile("reply from C: seq=\\d+ time=([0-9.]+) ms CRYPTED").matcher(out);
        int replies = 0;
        while (m.find()) {
            replies++;
            // two hops of 10 ms +- 2 ms each way
            assertTrue(Double.parseDouble(m.group(1)) >= 32, m.group());
        }
        assertTrue(replies >= 3, out);
        assertTrue(out.contains("A -> B -> C -> B -> A"), out);
        assertTrue(out.contains("answer from C (CRYPTED)"), out);
        List<String> routeA = out.lines().filter(l -> l.startsWith("  A:")).toList();
        assertEquals(1, routeA.size(), out);
        assertTrue(routeA.getFirst().matches(".*C INDIRECT +via B hops 2.*"), routeA.getFirst());
        assertTrue(out.contains("demo OK"), out);
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
        String a = virtualPart(demo("--seed", "5"));
        assertEquals(a, virtualPart(demo("--seed", "5")));
        String b = virtualPart(demo("--seed", "6", "--loss", "0.2"));
        assertTrue(!a.equals(b));
        assertTrue(b.contains("20% loss"), b);
    }
}
