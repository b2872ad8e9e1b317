package org.clatter.mdp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clatter.mdp.MdpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Unix-socket control channel: requests, streamed output and error lines, exit codes, stale sockets. */
class ControlChannelTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result call(Path sock, List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = ControlClient.run(sock, args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void requestsAreAnsweredWithOutputErrorAndExitCode() {
        Path sock = dir.resolve("c.sock");
        try (ControlServer s = ControlServer.open(sock, (args, out, err) -> {
            for (String a : args) {
                out.println("arg " + a);
            }
            err.println("count " + args.size());
            if (args.contains("boom")) {
                throw new IllegalStateException("went wrong");
            }
            return args.size();
        })) {
            assertTrue(ControlClient.answers(sock));
            Result r = call(sock, List.of("id", "peers", "with space", "ünïcode"));
            assertEquals(4, r.code());
            assertEquals("arg id\narg peers\narg with space\narg ünïcode\n", r.out());
            assertEquals("count 4\n", r.err());
            Result boom = call(sock, List.of("boom"));
            assertEquals(1, boom.code());
            assertTrue(boom.err().contains("went wrong"), boom.err());
            assertEquals(1, call(sock, List.of("tab\there")).code(), "arguments with tabs are refused");
            assertThrows(MdpException.class, () -> ControlServer.open(sock, (a, o, e) -> 0),
                    "a second node on the same socket is refused");
        }
        assertFalse(Files.exists(sock), "closing removes the socket file");
        assertFalse(ControlClient.answers(sock));
        Result none = call(sock, List.of("status"));
        assertEquals(ControlClient.NOT_RUNNING, none.code());
        assertTrue(none.err().contains("no node is running"), none.err());
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path sock = dir.resolve("stale.sock");
        Files.writeString(sock, "left over");
        try (ControlServer s = ControlServer.open(sock, (args, out, err) -> 7)) {
            assertEquals(7, call(sock, List.of("x")).code());
        }
    }
}
