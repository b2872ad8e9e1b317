package org.clatter.mdp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clatter.mdp.MdpCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node services in the daemon: one that throws on start is logged and skipped while the node and the other
 * services run; services are listed in {@code status} with their lines, answer their verbs, and are closed on stop.
 */
class NodeServiceTest {
    @TempDir
    Path dir;

    private static final class Good implements NodeService {
        final AtomicBoolean closed = new AtomicBoolean();
        Context context;

        @Override
        public String name() {
            return "good";
        }

        @Override
        public void start(Context c) {
            context = c;
            c.register("good hello", (args, s) -> {
                s.out().println("hello " + String.join(" ", args) + " from " + c.node().sid());
                return 0;
            });
        }

        @Override
        public Map<String, String> status() {
            return Map.of("answers", "yes");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static final class Throws implements NodeService {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public void start(Context c) {
            c.register("broken verb", (args, s) -> 0);
            throw new IllegalStateException("cannot open its database");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static final class TakesABuiltIn implements NodeService {
        @Override
        public String name() {
            return "greedy";
        }

        @Override
        public void start(Context c) {
            c.register("status", (args, s) -> 0);
        }

        @Override
        public void close() {
        }
    }

    private static String call(Path sock, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code = ControlClient.run(sock, List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(o, true, StandardCharsets.UTF_8));
        return code + "\n" + o.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aServiceThatThrowsOnStartIsSkippedAndTheNodeRuns() {
        Instance instance = new Instance(dir.resolve("n"), new char[0]);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Throws broken = new Throws();
        Good good = new Good();
        NodeDaemon d = NodeDaemon.start(instance, MdpCrypto.load(), List.of("udp:127.0.0.1/8:0"), List.of(), new PrintStream(log, true, StandardCharsets.UTF_8),
                List.of(broken, new TakesABuiltIn(), good));
        try {
            assertEquals(List.of("good"), d.services());
            assertTrue(broken.closed.get(), "a service that failed to start is closed");
            String status = call(instance.controlSocket(), "status");
            assertTrue(status.startsWith("0\n") && status.contains("status:running"), status);
            assertTrue(status.contains("services:good\n"), status);
            assertTrue(status.contains("service.broken:failed: cannot open its database"), status);
            assertTrue(status.contains("service.greedy:failed: service greedy cannot add the verb 'status'"), status);
            assertTrue(status.contains("good.answers:yes"), status);
            assertEquals("0\nhello a b from " + d.node().sid() + "\n", call(instance.controlSocket(), "good", "hello",
                    "a", "b"));
            String gone = call(instance.controlSocket(), "broken", "verb");
            assertTrue(gone.startsWith("1\n") && gone.contains("does not know"), "its verb went with it: " + gone);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("service broken failed to start"), log.toString());
            assertEquals(instance, good.context.instance());
        } finally {
            d.close();
        }
        assertTrue(good.closed.get(), "services are closed when the node stops");
        assertFalse(ControlClient.answers(instance.controlSocket()));
    }
}
