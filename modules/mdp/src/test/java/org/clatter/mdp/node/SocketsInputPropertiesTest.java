package org.clatter.mdp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine.Security;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Arbitrary input at the node's entry points never throws: datagrams of any port, security and content handed to
 * the sockets (trace and DNA lookup parsing included), trace lists, and control requests of any text.
 */
class SocketsInputPropertiesTest {
    /** Byte arrays of 0 to {@code max} arbitrary bytes (also used by {@link ControlStreamTest}). */
    static Gen<byte[]> bytes(int max) {
        return lists().of(integers().between(0, 255)).ofSizeBetween(0, max).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) l.get(i);
            }
            return b;
        });
    }

    @Test
    void arbitraryDatagramsAreCountedOrDeliveredNeverThrown() {
        SimNodes sim = new SimNodes(11, 2, LinkProfile.ideal());
        assertTrue(sim.converge(Duration.ofSeconds(10)));
        MdpNode a = sim.node(0);
        MdpNode b = sim.node(1);
        List<Datagram> got = new ArrayList<>();
        a.call(now -> a.sockets().bind(300, got::add)).join();
        int[] calls = {0};
        qt().withExamples(300).forAll(bytes(200), integers().between(0, 20), integers().between(0, 2))
                .checkAssert((data, port, sec) -> {
                    long p = port == 20 ? 300 : port;
                    Sid to = port % 2 == 0 ? Sid.BROADCAST : a.sid();
                    calls[0]++;
                    a.call(now -> {
                        a.sockets().datagram(b.sid(), 257, to, p, Security.values()[sec], data, now);
                        return null;
                    }).join();
                    MdpSockets.traceAddresses(data);
                });
        sim.run(Duration.ofSeconds(2));
        assertTrue(got.stream().allMatch(d -> d.toPort() == 300));
        long counted = a.engine().registry().snapshot().entrySet().stream()
                .filter(e -> e.getKey().startsWith("mdp.sockets.")).mapToLong(e -> e.getValue()).sum();
        assertTrue(calls[0] > 0);
        assertEquals((long) calls[0], counted, "every datagram is counted once: " + a.engine().registry().snapshot());
    }

    @Test
    void traceListsParseOnlyWhenWellFormed() {
        qt().withExamples(500).forAll(bytes(300)).checkAssert(data -> {
            var parsed = MdpSockets.traceAddresses(data);
            boolean wellFormed = data.length >= 66 && data.length % 33 == 0;
            for (int i = 0; wellFormed && i < data.length; i += 33) {
                wellFormed = (data[i] & 0xff) == 0x20;
            }
            assertEquals(wellFormed, parsed.isPresent());
            parsed.ifPresent(l -> assertEquals(data.length / 33, l.size()));
        });
    }

    @Test
    void arbitraryControlRequestsGetAnExitCode() throws Exception {
        Path dir = Files.createTempDirectory("ctl");
        Path sock = dir.resolve("c.sock");
        try (ControlServer s = ControlServer.open(sock, (args, out, err) -> {
            if (!args.isEmpty() && args.getFirst().startsWith("x")) {
                throw new IllegalArgumentException("bad " + args);
            }
            out.println(args.size());
            return 3;
        })) {
            qt().withExamples(100).forAll(lists().of(strings().allPossible().ofLengthBetween(0, 20))
                    .ofSizeBetween(0, 5)).checkAssert(args -> {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                int code = ControlClient.run(sock, args, new PrintStream(o, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                boolean refused = args.stream().anyMatch(x -> x.contains("\t") || x.contains("\n"));
                if (refused) {
                    assertEquals(1, code);
                } else if (!args.isEmpty() && args.getFirst().startsWith("x")) {
                    assertEquals(1, code);
                } else {
                    assertTrue(code == 3 || code == 1, "code " + code);
                }
            });
        }
    }
}
