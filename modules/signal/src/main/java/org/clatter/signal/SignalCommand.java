package org.clatter.signal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code clatter signal serve --port P [--bind ADDR] [--nats URL] [--grace SECONDS] [--ttl SECONDS]
 * [--reannounce SECONDS] [--require-proof]}: runs a signal server in the foreground, prints its URL, and stops
 * gracefully when stdin closes or the process is signalled.
 */
public final class SignalCommand {
    static final String USAGE = "usage: clatter signal serve --port P [--bind ADDR] [--nats nats://HOST:PORT]"
            + " [--grace SECONDS] [--ttl SECONDS] [--reannounce SECONDS] [--require-proof]";

    private SignalCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args arguments after {@code signal}: {@code serve} and its options
     * @return 0 after a clean stop, 1 if the server could not start, 2 for a usage error
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("serve")) {
            err.println(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))
                    ? USAGE : "unknown or missing subcommand; " + USAGE);
            return 2;
        }
        SignalServerConfig config = SignalServerConfig.defaults();
        int port = -1;
        String bind = "127.0.0.1";
        Duration ttl = config.announceTtl();
        Duration grace = config.grace();
        Duration reannounce = null;
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                    case "--bind" -> bind = value(args, ++i, a);
                    case "--nats" -> config = config.withNats(value(args, ++i, a));
                    case "--grace" -> grace = Duration.ofMillis((long) (Double.parseDouble(value(args, ++i, a)) * 1000));
                    case "--ttl" -> ttl = Duration.ofMillis((long) (Double.parseDouble(value(args, ++i, a)) * 1000));
                    case "--reannounce" -> reannounce = Duration.ofMillis(
                            (long) (Double.parseDouble(value(args, ++i, a)) * 1000));
                    case "--require-proof" -> config = config.withRequireProof(true);
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port is required (0 to 65535; 0 picks a free port)");
            }
            config = config.withBind(bind, port).withTimers(ttl, reannounce != null ? reannounce : ttl.dividedBy(3),
                    grace);
        } catch (IllegalArgumentException e) {
            err.println("clatter signal serve: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SignalServer server;
        try {
            server = SignalServer.start(config);
        } catch (SignalException e) {
            err.println("clatter signal serve: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(server::close, "signal-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("signal server listening on " + server.url()
                + config.natsUrl().map(u -> " (clustered over " + u + ")").orElse(""));
        out.flush();
        try {
            while (in.read() >= 0) {
                // runs until stdin closes
            }
        } catch (IOException e) {
            // stdin gone: stop
        }
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        out.println("signal server stopped");
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
