package org.clatter.clacks.mdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import org.clatter.clacks.ClacksNode;
import org.clatter.clacks.ClacksOptions;
import org.clatter.clacks.DatagramClacksTransport;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mesh entry point: arbitrary and mutated datagrams sent over MDP to a Clacks node's port never crash it;
 * every one arrives (ideal link), and exactly those shaped as a request ({@code 'Q'} and an 8-byte token) get
 * an answer with a status. Deterministic: virtual time runs on the test thread (QuickTheories prints its seed).
 */
class MdpDatagramPropertiesTest {
    private static final Executor INLINE = Runnable::run; // the test thread is the scheduler's thread
    private static SimMesh sim;
    private static MdpClacksDatagrams a;
    private static MdpClacksDatagrams b;
    private static ClacksNode node;
    private static final List<byte[]> answers = new ArrayList<>();
    private static final byte[] VALID = ("{\"message\":{\"a\":[1,\"x\"]},\"type\":\"message\",\"sender\":{\"hostname\":"
            + "\"sid-" + "ab".repeat(32) + "\",\"port\":193}}").getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void mesh() {
        sim = new SimMesh(11, 2, LinkProfile.ideal().withLatency(Duration.ofMillis(2)));
        assertTrue(sim.converge(Duration.ofSeconds(30)));
        a = MdpClacksDatagrams.open(sim.node(0), MdpClacksDatagrams.PORT, INLINE);
        b = MdpClacksDatagrams.open(sim.node(1), MdpClacksDatagrams.PORT, INLINE);
        a.onDatagram((from, d) -> answers.add(d));
        DatagramClacksTransport t = new DatagramClacksTransport(b, Duration.ofSeconds(1));
        // not started: no send timer, so nothing but the answers touches the engine off the test thread
        node = ClacksNode.create(ClacksOptions.builder().hostname(b.self().hostname()).port(b.self().port()).build(), t);
        node.onMessageReceived((from, p) -> Optional.empty());
        t.bind(node);
    }

    @AfterAll
    static void close() {
        a.close();
        b.close();
        node.close();
        sim.close();
    }

    private static void deliver(byte[] d) {
        long before = b.counters().get("received");
        answers.clear();
        assertTrue(a.send(b.self(), d));
        sim.scheduler.runFor(Duration.ofMillis(300).toNanos());
        assertEquals(before + 1, (long) b.counters().get("received"), "the datagram arrives: " + b.counters());
        boolean request = d.length >= 9 && d[0] == 'Q';
        assertEquals(request ? 1 : 0, answers.size(), "one answer per request, none otherwise");
        if (request) {
            ByteBuffer ans = ByteBuffer.wrap(answers.getFirst());
            assertEquals(11, ans.remaining());
            assertEquals('A', ans.get());
            assertEquals(ByteBuffer.wrap(d, 1, 8).getLong(), ans.getLong(), "the answer carries the token");
            int status = ans.getShort() & 0xFFFF;
            assertTrue(status >= 200 && status < 600, "status " + status);
        }
    }

    @Test
    void arbitraryDatagramsNeverCrashTheNode() {
        qt().withExamples(60).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, MdpClacksDatagrams.MAX_DATAGRAM))
                .checkAssert(list -> {
                    byte[] d = new byte[list.size()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = (byte) (int) list.get(i);
                    }
                    deliver(d);
                });
    }

    @Test
    void mutatedRequestsAreAnsweredWithAStatus() {
        qt().withExamples(60).forAll(integers().all(), integers().between(0, 8)).checkAssert((seed, mutations) -> {
            Random r = new Random(seed);
            ByteBuffer q = ByteBuffer.allocate(9 + VALID.length).put((byte) 'Q').putLong(r.nextLong()).put(VALID);
            byte[] d = q.array();
            for (int i = 0; i < mutations; i++) {
                d[9 + r.nextInt(VALID.length)] = (byte) r.nextInt(256);
            }
            deliver(d);
        });
        deliver(ByteBuffer.allocate(9 + VALID.length).put((byte) 'Q').putLong(42).put(VALID).array());
        assertEquals(200, ByteBuffer.wrap(answers.getFirst(), 9, 2).getShort() & 0xFFFF, "an intact request is accepted");
    }
}
