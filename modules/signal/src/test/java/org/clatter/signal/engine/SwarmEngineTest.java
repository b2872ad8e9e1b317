package org.clatter.signal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.clatter.core.time.VirtualClock;
import org.clatter.signal.codec.Any;
import org.clatter.signal.codec.SignalProto.Message;
import org.clatter.signal.codec.SignalProto.PeerAvailable;
import org.clatter.signal.codec.SignalProto.SwarmEvent;
import org.junit.jupiter.api.Test;

/** The swarm engine on a virtual clock: timers are exact and runs are deterministic. */
class SwarmEngineTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long S = EngineConfig.SECOND;
    private static final EngineConfig CONFIG = new EngineConfig(60 * S, 20 * S, 10 * S, true, "test");
    private static final byte[] SWARM = key(1);

    static byte[] key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    /** Records outputs as strings; bus publications go to the other engines of a {@link Bus}. */
    static final class Recorder implements SwarmEngine.Output {
        final List<String> events = new ArrayList<>();
        final List<String[]> published = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        final List<String> subscriptions = new ArrayList<>();

        @Override
        public void streamReady(long conn, int id) {
            events.add(conn + "/" + id + " ready");
        }

        @Override
        public void streamEvent(long conn, int id, SwarmEvent e) {
            events.add(conn + "/" + id + (e instanceof PeerAvailable ? " available " : " left ")
                    + HEX.formatHex(e.peer()).substring(0, 2));
        }

        @Override
        public void streamClose(long conn, int id) {
            events.add(conn + "/" + id + " close");
        }

        @Override
        public void deliver(long conn, int id, Message m) {
            events.add(conn + "/" + id + " msg " + HEX.formatHex(m.payload().value()));
        }

        @Override
        public void publish(String subject, byte[] payload) {
            published.add(new String[] {subject});
            payloads.add(payload);
        }

        @Override
        public void subscribe(String subject) {
            subscriptions.add(subject);
        }

        @Override
        public void unsubscribe(String subject) {
            subscriptions.remove(subject);
        }

        long count(String s) {
            return events.stream().filter(e -> e.equals(s)).count();
        }
    }

    @Test
    void joinLeaveAndRepeatedJoin() {
        VirtualClock clock = new VirtualClock();
        Recorder out = new Recorder();
        SwarmEngine e = new SwarmEngine(CONFIG, clock, key(9), false, out);
        e.join(1, 0, SWARM, key(0xa1));
        e.join(2, 0, SWARM, key(0xb2));
        assertTrue(out.events.contains("1/0 available b2"), out.events.toString());
        assertTrue(out.events.contains("2/0 available a1"));
        assertTrue(out.events.contains("2/0 available b2"), "the joiner sees itself, as the DXOS memory server does");
        // The client timed out waiting for ready and joined again: the old stream is closed, no PeerLeft.
        e.join(1, 3, SWARM, key(0xa1));
        assertTrue(out.events.contains("1/0 close"));
        assertEquals(0, out.count("2/0 left a1"));
        e.closeStream(1, 3);
        assertEquals(1, out.count("2/0 left a1"));
        assertEquals(1, e.swarmCount());
    }

    @Test
    void graceAndExpiryOnTheVirtualClock() {
        VirtualClock clock = new VirtualClock();
        Recorder out = new Recorder();
        SwarmEngine e = new SwarmEngine(CONFIG, clock, key(9), false, out);
        e.join(1, 0, SWARM, key(0xa1));
        e.join(2, 0, SWARM, key(0xb2));
        e.disconnected(1);
        clock.advanceBy(9 * S);
        e.tick();
        e.join(3, 0, SWARM, key(0xa1));
        clock.advanceBy(5 * S);
        e.tick();
        assertEquals(0, out.count("2/0 left a1"), "back within the grace period");
        e.disconnected(3);
        assertTrue(e.nextDeadline() <= clock.nanos() + 10 * S, "wakes up by the end of the grace period");
        clock.advanceBy(10 * S - 1);
        e.tick();
        assertEquals(0, out.count("2/0 left a1"));
        clock.advanceBy(1);
        e.tick();
        assertEquals(1, out.count("2/0 left a1"), "gone after exactly the grace period");
    }

    @Test
    void remotePeersExpireUnlessReannounced() {
        VirtualClock clock = new VirtualClock();
        Recorder o1 = new Recorder();
        Recorder o2 = new Recorder();
        SwarmEngine h1 = new SwarmEngine(CONFIG, clock, key(0x71), true, o1);
        SwarmEngine h2 = new SwarmEngine(CONFIG, clock, key(0x72), true, o2);
        SwarmEngine[] both = {h1, h2};
        Recorder[] outs = {o1, o2};
        h1.join(1, 0, SWARM, key(0xa1));
        pump(both, outs);
        h2.join(2, 0, SWARM, key(0xb2));
        pump(both, outs);
        assertTrue(o1.events.contains("1/0 available b2"));
        assertTrue(o2.events.contains("2/0 available a1"), "announce-back told the newcomer who was there");
        // Both hosts keep re-announcing: nobody expires over several TTLs.
        for (int i = 0; i < 20; i++) {
            clock.advanceBy(10 * S);
            for (SwarmEngine en : both) {
                if (en.nextDeadline() <= clock.nanos()) {
                    en.tick();
                }
            }
            pump(both, outs);
        }
        assertEquals(0, o1.count("1/0 left b2"));
        // Host 2 goes silent (a crash: no PeerLeft): host 1 drops b2 once its last announcement expires.
        long lastHeard = clock.nanos();
        while (o1.count("1/0 left b2") == 0) {
            clock.advanceTo(Math.max(h1.nextDeadline(), clock.nanos() + 1));
            h1.tick();
            o1.published.clear();
            o1.payloads.clear();
        }
        long waited = clock.nanos() - lastHeard;
        assertTrue(waited > 40 * S && waited <= 60 * S, "expired within one TTL of the last re-announcement: "
                + waited / S + " s");
    }

    @Test
    void messagesGoToTheLiveInbox() {
        VirtualClock clock = new VirtualClock();
        Recorder out = new Recorder();
        SwarmEngine e = new SwarmEngine(CONFIG, clock, key(9), false, out);
        e.receive(1, 1, key(0xa1));
        assertTrue(e.send(new Message(key(0xb2), key(0xa1), new Any("t", new byte[] {7}))));
        assertTrue(out.events.contains("1/1 msg 07"));
        assertFalse(e.send(new Message(key(0xa1), key(0xb2), new Any("t", new byte[] {8}))));
        assertEquals(1, e.undeliverable());
    }

    /** Two engines joined by an in-memory bus, driven by an arbitrary schedule of joins, leaves and drops. */
    @Test
    void clusteredEnginesAgreeWithTheOracle() {
        qt().withExamples(200).forAll(lists().of(integers().between(0, 5 * 4 * 3 - 1)).ofSizeBetween(1, 40))
                .checkAssert(ops -> {
                    VirtualClock clock = new VirtualClock();
                    Recorder[] outs = {new Recorder(), new Recorder()};
                    SwarmEngine[] engines = new SwarmEngine[2];
                    for (int i = 0; i < 2; i++) {
                        engines[i] = new SwarmEngine(CONFIG, clock, key(0x70 + i), true, outs[i]);
                    }
                    boolean[] joined = new boolean[4];
                    int[] stream = new int[4];
                    for (int op : ops) {
                        int peer = op % 4;
                        int kind = (op / 4) % 5;
                        int host = peer % 2;
                        long conn = 100 + peer;
                        switch (kind) {
                            case 0, 1 -> {
                                if (!joined[peer]) {
                                    stream[peer]++;
                                    engines[host].join(conn, stream[peer], SWARM, key(0xa0 + peer));
                                    joined[peer] = true;
                                }
                            }
                            case 2 -> {
                                if (joined[peer]) {
                                    engines[host].closeStream(conn, stream[peer]);
                                    joined[peer] = false;
                                }
                            }
                            default -> clock.advanceBy(7 * S);
                        }
                        pump(engines, outs);
                        for (SwarmEngine en : engines) {
                            if (en.nextDeadline() <= clock.nanos()) {
                                en.tick();
                            }
                        }
                        pump(engines, outs);
                    }
                    // Oracle: after the last operation every joined peer sees exactly the joined peers.
                    for (int p = 0; p < 4; p++) {
                        if (!joined[p]) {
                            continue;
                        }
                        for (int q = 0; q < 4; q++) {
                            String tag = String.format("%x", 0xa0 + q);
                            String prefix = (100 + p) + "/" + stream[p] + " ";
                            long avail = outs[p % 2].events.stream()
                                    .filter(ev -> ev.startsWith(prefix + "available " + tag)).count();
                            List<String> mine = outs[p % 2].events.stream()
                                    .filter(ev -> ev.startsWith(prefix) && ev.endsWith(tag)).toList();
                            String last = mine.isEmpty() ? "" : mine.get(mine.size() - 1);
                            if (joined[q]) {
                                assertTrue(avail > 0 && last.contains("available"), "peer " + p + " sees " + q
                                        + " " + ops + " " + mine);
                            } else {
                                assertFalse(last.contains("available"), "peer " + p + " must not see " + q
                                        + " " + ops + " " + mine);
                            }
                        }
                    }
                });
    }

    private static void pump(SwarmEngine[] engines, Recorder[] outs) {
        boolean any = true;
        while (any) {
            any = false;
            for (int i = 0; i < engines.length; i++) {
                while (!outs[i].published.isEmpty()) {
                    String subject = outs[i].published.remove(0)[0];
                    byte[] payload = outs[i].payloads.remove(0);
                    any = true;
                    for (int j = 0; j < engines.length; j++) {
                        if (j != i && matches(outs[j].subscriptions, subject)) {
                            engines[j].busMessage(subject, payload);
                        }
                    }
                }
            }
        }
    }

    private static boolean matches(List<String> subs, String subject) {
        for (String s : subs) {
            if (s.endsWith(".*") ? subject.startsWith(s.substring(0, s.length() - 1))
                    && subject.indexOf('.', s.length() - 1) < 0 : s.equals(subject)) {
                return true;
            }
        }
        return false;
    }
}
