package org.clatter.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SignalCommandTest {

    @Test
    void servesUntilStdinClosesAndPrintsItsAddress() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(feed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> rc = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> rc.complete(SignalCommand.run(
                new String[] {"serve", "--port", "0", "--bind", "127.0.0.1", "--grace", "2"}, in,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))));
        Pattern p = Pattern.compile("(ws://127\\.0\\.0\\.1:\\d+/\\.well-known/dx/signal)");
        String url = null;
        for (int i = 0; i < 200 && url == null; i++) {
            Matcher m = p.matcher(out.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                url = m.group(1);
            } else {
                Thread.sleep(25);
            }
        }
        assertTrue(url != null, "printed the bound address: " + out);
        RecordingListener l = new RecordingListener();
        byte[] k = SignalServerTest.key(3);
        try (SignalClient c = SignalClient.connect(URI.create(url), l)) {
            c.join(k, k);
            l.await("available:" + java.util.HexFormat.of().formatHex(k), 5000);
        }
        feed.close();
        assertEquals(0, (int) rc.get());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("stopped"));
    }

    @Test
    void usageErrorsExitWithTwo() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, SignalCommand.run(new String[] {"serve"}, System.in, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port is required"));
        assertEquals(2, SignalCommand.run(new String[] {"serve", "--port", "1", "--bogus"}, System.in, o, e));
        assertEquals(2, SignalCommand.run(new String[] {}, System.in, o, e));
        assertEquals(1, SignalCommand.run(new String[] {"serve", "--port", "0", "--nats", "nats://127.0.0.1:1"},
                System.in, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("NATS"));
    }
}
