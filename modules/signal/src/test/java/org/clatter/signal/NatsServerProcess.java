package org.clatter.signal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@code nats-server} (Debian package) on a free loopback port. Fails (never skips) when the binary is
 * missing, with the install command.
 */
public final class NatsServerProcess implements AutoCloseable {
    static final String INSTALL = "apt-get update && apt-get install -y nats-server";

    private final Process process;
    private final int port;

    public NatsServerProcess() throws IOException, InterruptedException {
        this(freePort());
    }

    /** A server on a given port (to restart one where clients expect it). */
    public NatsServerProcess(int port) throws IOException, InterruptedException {
        String bin = find();
        this.port = port;
        process = new ProcessBuilder(bin, "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("nats-server did not listen on 127.0.0.1:" + port + " within 10 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    private static String find() {
        for (String p : new String[] {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nats-server"))) {
                return Path.of(dir, "nats-server").toString();
            }
        }
        fail("nats-server is not installed; run `" + INSTALL + "` (the clustering tests start their own)");
        return "";
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
