package org.clatter.tools.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code clatter}: the entry point of the runtime image. Exit status 0 on success, 1 when the command ran and
 * failed, 2 on a usage error.
 */
public final class Clatter {
    static final int USAGE = 2;

    private record Entry(String usage, String summary, Command command) {
    }

    private final Map<String, Entry> commands = new LinkedHashMap<>();

    Clatter() {
        add("providers", "providers [--select SPI[=NAME]]", "list every provider found, per SPI, with its availability",
                ProvidersCommand::run);
        add("overlay", "overlay decode FILE.pcap [--keyring-dump F]...",
                "decode Serval overlay traffic in a pcap, frame by frame", sub("overlay", "decode",
                        org.clatter.mdp.tools.OverlayDecodeCommand::run));
        add("demo", "demo [--seed N] [--loss P]", "a Clatter mesh A - B - C on the simulated network: discovery, ping, trace, an MSP file transfer", org.clatter.tools.cli.demo.Demo::run);
        add("keyring", "keyring add|list|import ...", "the node's identities (--instance DIR, --pin PIN)", org.clatter.mdp.cli.KeyringCommand::run);
        add("start", "start --interface udp:ADDR/PREFIX[:PORT]...", "start the MDP node in the background", org.clatter.mdp.cli.StartCommand::run);
        add("run", "run --interface udp:ADDR/PREFIX[:PORT]...", "run the MDP node in the foreground", org.clatter.mdp.cli.RunCommand::run);
        add("stop", "stop", "stop the running node", org.clatter.mdp.cli.StopCommand::run);
        add("status", "status", "is the node running, with its SID, interfaces and counters", org.clatter.mdp.cli.StatusCommand::run);
        add("id", "id self|peers", "this node's SIDs, or the reachable peers (one SID a line)", org.clatter.mdp.cli.IdCommand::run);
        add("route", "route print", "the node's routing table", org.clatter.mdp.cli.RouteCommand::run);
        add("dna", "dna lookup DID [TIMEOUT]", "find the nodes answering for a phone number (DID)", org.clatter.mdp.cli.DnaCommand::run);
        add("mdp", "mdp ping SID|broadcast [COUNT] | trace SID", "MDP echo ping with round-trip times; trace the path", org.clatter.mdp.cli.MdpCommand::run);
        add("clacks", "clacks run --hostname H --port P ...", "run a Clacks gossip node (stdin in, JSON lines out)",
                sub("clacks", "run", org.clatter.clacks.ClacksCommand::run));
        add("rhizome", "rhizome add|list|extract|export|import ...",
                "store, list and move Rhizome bundles (delay-tolerant store-and-forward)",
                org.clatter.rhizome.cli.RhizomeCommand::run);
        add("meshms", "meshms send|list ...", "MeshMS one-to-one conversations on Rhizome",
                org.clatter.rhizome.cli.MeshmsCommand::run);
        add("signal", "signal serve --port P [--nats URL]", "serve MESH signaling (DXOS) over WebSocket",
                org.clatter.signal.SignalCommand::run);
        add("msp", "msp listen|connect|send-file|receive-file ...", "MSP streams: relay stdin/stdout, send a file",
                org.clatter.msp.cli.MspCommand::run);
    }

    /** A command group with one verb so far: {@code clatter GROUP VERB ARGS} runs {@code command} with ARGS. */
    private static Command sub(String group, String verb, Command command) {
        return (args, in, out, err) -> {
            if (args.length == 0 || !args[0].equals(verb)) {
                err.println("usage: clatter " + group + " " + verb + " ... (try 'clatter " + group + " " + verb
                        + " --help')");
                return USAGE;
            }
            return command.run(java.util.Arrays.copyOfRange(args, 1, args.length), in, out, err);
        };
    }

    private void add(String name, String usage, String summary, Command command) {
        commands.put(name, new Entry(usage, summary, command));
    }

    public static void main(String[] args) {
        int status = new Clatter().run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : 0;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println("clatter " + version() + " (Java " + Runtime.version() + ")");
            return 0;
        }
        Entry e = commands.get(args[0]);
        if (e == null) {
            err.println("clatter: unknown command '" + args[0] + "'. Run 'clatter --help' for the list.");
            return USAGE;
        }
        try {
            return e.command.run(Arrays.copyOfRange(args, 1, args.length), in, out, err);
        } catch (RuntimeException ex) {
            err.println("clatter " + args[0] + ": " + ex.getMessage());
            return 1;
        }
    }

    private void usage(PrintStream ps) {
        ps.println("usage: clatter COMMAND [ARGS]");
        ps.println();
        ps.println("  --version                 print the version");
        for (Entry e : commands.values()) {
            ps.printf("  %-25s %s%n", e.usage, e.summary);
        }
    }

    static String version() {
        try (InputStream in = Clatter.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
