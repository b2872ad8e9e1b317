package org.clatter.mdp.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CLI side of the control channel ({@link ControlServer} describes the protocol). */
public final class ControlClient {
    /** Exit code when no node answers. */
    public static final int NOT_RUNNING = 2;

    private ControlClient() {
    }

    /** Whether a node answers on {@code path} now. */
    public static boolean answers(Path path) {
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code args} in the node listening on {@code path}, copying its output as it comes.
     *
     * @return the command's exit code, or {@link #NOT_RUNNING} (with a message on {@code err})
     */
    public static int run(Path path, List<String> args, PrintStream out, PrintStream err) {
        for (String a : args) {
            if (a.indexOf('\t') >= 0 || a.indexOf('\n') >= 0) {
                err.println("clatter: arguments cannot contain tabs or newlines");
                return 1;
            }
        }
        SocketChannel c;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            err.println("clatter: no node is running (no answer on " + path + "); start one with"
                    + " `clatter start --interface udp:ADDR/PREFIX`");
            return NOT_RUNNING;
        }
        try (c) {
            OutputStream o = Channels.newOutputStream(c);
            o.write((String.join("\t", args) + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("o ")) {
                    out.println(line.substring(2));
                } else if (line.startsWith("e ")) {
                    err.println(line.substring(2));
                } else if (line.startsWith("x ")) {
                    return Integer.parseInt(line.substring(2).trim());
                }
            }
            err.println("clatter: the node closed the control connection without an exit code");
            return 1;
        } catch (IOException | NumberFormatException e) {
            err.println("clatter: control channel failed: " + e.getMessage());
            return 1;
        }
    }
}
