package org.clatter.rhizome.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.ControlClient;
import org.clatter.mdp.node.Instance;
import org.clatter.mdp.node.NodeDaemon;
import org.clatter.msp.cli.MspNodeService;
import org.clatter.rhizome.node.RhizomeNodeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rhizome in running nodes: two node daemons (in this process, each with {@link RhizomeNodeService} and the MSP
 * service) on 127.1.0.7 and 127.1.0.8 over real UDP. A bundle added with the {@code clatter rhizome add} entry
 * point at A (another opener of A's store while its daemon runs) is noticed by A's daemon, offered, and appears in
 * B's {@code rhizome list}; a MeshMS message sent at A shows in B's conversation; {@code status} shows the counters.
 */
class RhizomeThroughNodeTest {
    @TempDir
    Path dir;

    private static int freePort() throws java.io.IOException {
        try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
            ch.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            return ((java.net.InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    private static boolean await(long deadline, java.util.function.BooleanSupplier done) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return done.getAsBoolean();
    }

    @Test
    void bundlesAndMeshMsAddedByCommandsAtAReachBThroughTheDaemons() throws Exception {
        int port = freePort();
        Path ia = dir.resolve("a");
        Path ib = dir.resolve("b");
        PrintStream log = new PrintStream(PrintStream.nullOutputStream());
        NodeDaemon a = NodeDaemon.start(new Instance(ia, new char[0]), MdpCrypto.load(),
                List.of("udp:127.1.0.7/24:" + port), List.of("127.1.0.8:" + port), log,
                List.of(new RhizomeNodeService(), new MspNodeService()));
        NodeDaemon b = NodeDaemon.start(new Instance(ib, new char[0]), MdpCrypto.load(),
                List.of("udp:127.1.0.8/24:" + port), List.of("127.1.0.7:" + port), log,
                List.of(new RhizomeNodeService(), new MspNodeService()));
        try {
            assertEquals(List.of("rhizome", "msp"), a.services());
            String sidA = a.node().sid().toString();
            String sidB = b.node().sid().toString();
            Path file = dir.resolve("hello.txt");
            Files.writeString(file, "hello from A's command line\n".repeat(2000));
            CommandsTest.Run add = CommandsTest.rhizome("add", "file", file.toString(), "--instance", ia.toString());
            assertEquals(0, add.code(), add.err());
            String bid = add.out().split("\t")[0];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            assertTrue(await(deadline, () -> CommandsTest.rhizome("list", "--instance", ib.toString()).out()
                    .contains(bid)), "the bundle reached B's store");
            Path out = dir.resolve("got.txt");
            CommandsTest.Run extract = CommandsTest.rhizome("extract", "file", bid, out.toString(), "--instance",
                    ib.toString());
            assertEquals(0, extract.code(), extract.err());
            assertEquals(Files.readString(file), Files.readString(out));

            CommandsTest.Run send = CommandsTest.meshms("send", "message", sidA, sidB, "hi B, this is A", "--instance",
                    ia.toString());
            assertEquals(0, send.code(), send.err());
            assertTrue(await(deadline, () -> CommandsTest.meshms("list", "messages", sidB, sidA, "--instance",
                    ib.toString()).out().contains("<\t")), "the MeshMS message reached B");
            CommandsTest.Run messages = CommandsTest.meshms("list", "messages", sidB, sidA, "--instance", ib.toString());
            assertTrue(messages.out().contains("hi B, this is A"), messages.out());

            ByteArrayOutputStream st = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(st, true, StandardCharsets.UTF_8);
            assertEquals(0, ControlClient.run(new Instance(ia, new char[0]).controlSocket(), List.of("status"), ps, ps));
            String status = st.toString(StandardCharsets.UTF_8);
            assertTrue(status.contains("services:rhizome,msp"), status);
            assertTrue(status.contains("rhizome.offered_from_store:"), status);
            assertTrue(status.lines().anyMatch(l -> l.startsWith("rhizome.bundles:") && !l.endsWith(":0")), status);
            assertTrue(status.lines().anyMatch(l -> l.startsWith("rhizome.tree.tx:")), status);
        } finally {
            a.close();
            b.close();
        }
    }
}
