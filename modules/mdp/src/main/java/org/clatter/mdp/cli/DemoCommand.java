package org.clatter.mdp.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.Sid;
import org.clatter.mdp.node.Datagram;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.MdpSocket;
import org.clatter.mdp.node.MdpSockets;
import org.clatter.mdp.node.Ping;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.routing.NextHop;
import org.clatter.spi.routing.Reachability;
import org.clatter.spi.routing.Router;
import org.clatter.transport.sim.LinkProfile;
import org.clatter.transport.sim.LinkStats;
import org.clatter.transport.sim.SimNetwork;

/**
 * {@code clatter demo [--seed N] [--loss P]}: three Clatter nodes in a line A – B – C on the simulated network
 * (virtual time, deterministic from the seed, lossy links) so that A reaches C only through B. The demo runs as a
 * list of {@link Step}s over a shared {@link Mesh}: discovery, a ping A→C across two hops, a trace, a DNA lookup,
 * the route tables and a summary. This module's steps are {@link #steps}; modules above MDP (MSP, Rhizome) add
 * theirs in the composition root of the {@code clatter} command ({@code org.clatter.tools.cli.demo.Demo}), which
 * runs the demo with {@link #run(String[], InputStream, PrintStream, PrintStream, List)}.
 */
public final class DemoCommand {
    private DemoCommand() {
    }

    /** One stage of the demo. */
    public interface Step {
        /** A short title printed before the step. */
        String title();

        /** Runs the step; returns false when it failed (the demo goes on and exits 1). */
        boolean run(Mesh mesh);
    }

    /** The demo's mesh: the simulated network, its nodes by name, the virtual clock and the output. */
    public static final class Mesh {
        public final VirtualScheduler scheduler = new VirtualScheduler();
        public final SimNetwork net;
        public final Map<String, MdpNode> nodes = new LinkedHashMap<>();
        public final PrintStream out;
        /** The demo's seed (steps derive their own randomness from it, so a seed gives one run). */
        public final long seed;
        /** The crypto the nodes use. */
        public final Crypto crypto;

        Mesh(long seed, PrintStream out, Crypto crypto) {
            this.net = new SimNetwork(scheduler, seed);
            this.out = out;
            this.seed = seed;
            this.crypto = crypto;
        }

        public long now() {
            return scheduler.clock().nanos();
        }

        public void run(Duration d) {
            scheduler.runFor(d.toNanos());
        }

        /** The node name for a SID ("?" when unknown). */
        public String name(Sid sid) {
            for (var e : nodes.entrySet()) {
                if (e.getValue().sid().equals(sid)) {
                    return e.getKey();
                }
            }
            return sid.abbreviation(8) + "*";
        }

        /** Prints a line stamped with the virtual time. */
        public void log(String text) {
            out.printf(Locale.ROOT, "  [%7.3fs] %s%n", now() / 1e9, text);
        }
    }

    /** MDP's steps, in order: discovery first (every later step needs the routes). */
    public static List<Step> steps() {
        return List.of(new Discovery(), new PingStep(), new TraceStep(), new DnaStep(), new Routes());
    }

    /** The demo with MDP's {@link #steps} only. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, steps());
    }

    /**
     * The demo with {@code steps} (which should start with {@link #steps}): builds the A – B – C mesh, runs the
     * steps in order, prints the summary. Exit status 0 when every step succeeded, 1 otherwise.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, List<Step> steps) {
        Args a = Args.parse(args, Set.of("seed", "loss"));
        long seed = Long.parseLong(a.option("seed").orElse("1"));
        double loss = Double.parseDouble(a.option("loss").orElse("0.05"));
        long realStart = System.nanoTime();
        Crypto crypto = MdpCrypto.load();
        Mesh mesh = new Mesh(seed, out, crypto);
        LinkProfile radio = LinkProfile.ideal().withLoss(loss).withLatency(Duration.ofMillis(10))
                .withJitter(Duration.ofMillis(2));
        SplittableRandom r = new SplittableRandom(seed);
        String[] names = {"A", "B", "C"};
        for (int i = 0; i < names.length; i++) {
            byte[] s = new byte[32];
            for (int j = 0; j < 32; j++) {
                s[j] = (byte) r.nextInt(256);
            }
            Identity id = Identity.fromSeed(crypto, s, new byte[0], "555100" + (i + 1), names[i]);
            mesh.nodes.put(names[i], MdpNode.simulated(crypto, List.of(id), r.nextLong(), mesh.net, names[i]));
        }
        mesh.net.link("A", "B", radio);
        mesh.net.link("B", "C", radio);
        out.println("clatter demo: three Clatter nodes in a line, A - B - C, on a simulated radio network");
        out.printf(Locale.ROOT, "(virtual time, seed %d, %.0f%% loss and 10 ms latency each way; A and C are out"
                + " of range of each other)%n", seed, loss * 100);
        for (var e : mesh.nodes.entrySet()) {
            Identity id = e.getValue().primary();
            out.println("  " + e.getKey() + "  SID " + id.sid() + "  DID " + id.did());
        }
        mesh.nodes.values().forEach(MdpNode::start);
        boolean ok = true;
        for (Step step : steps) {
            out.println();
            out.println("== " + step.title());
            ok &= step.run(mesh);
        }
        out.println();
        out.println("== summary");
        long packets = 0;
        long bytes = 0;
        for (MdpNode n : mesh.nodes.values()) {
            packets += n.engine().registry().counter(MdpNode.SENT_PACKETS).get();
            bytes += n.engine().registry().counter(MdpNode.SENT_BYTES).get();
        }
        LinkStats t = mesh.net.totals();
        out.printf(Locale.ROOT, "  %d overlay packets (%d bytes) sent; %d radio frames sent, %d delivered, %d lost"
                        + " (to the 5%% loss or out of range), %d dropped%n", packets, bytes, t.sent(), t.delivered(),
                t.lost(), t.dropped());
        out.printf(Locale.ROOT, "  %.1f s of virtual time in %.2f s of real time%n", mesh.now() / 1e9,
                (System.nanoTime() - realStart) / 1e9);
        mesh.nodes.values().forEach(MdpNode::close);
        out.println(ok ? "demo OK" : "demo FAILED (see above)");
        return ok ? 0 : 1;
    }

    private static Router.RouteEntry[] table(MdpNode n) {
        return n.engine().router().table().toArray(new Router.RouteEntry[0]);
    }

    /** The nodes find their neighbours by broadcast ticks and learn the rest from link-state adverts. */
    static final class Discovery implements Step {
        @Override
        public String title() {
            return "discovery: neighbour ticks and link-state adverts";
        }

        @Override
        public boolean run(Mesh mesh) {
            Map<String, String> seen = new LinkedHashMap<>();
            long deadline = mesh.now() + Duration.ofSeconds(30).toNanos();
            while (mesh.now() < deadline) {
                mesh.run(Duration.ofMillis(10));
                boolean all = true;
                for (var e : mesh.nodes.entrySet()) {
                    for (var o : mesh.nodes.entrySet()) {
                        if (e.getKey().equals(o.getKey())) {
                            continue;
                        }
                        Reachability reach = e.getValue().engine().reachability(o.getValue().sid());
                        Optional<NextHop> hop = e.getValue().engine().router().nextHop(o.getValue().sid().toNodeId());
                        String state = reach == Reachability.UNICAST ? "hears and is heard by " + o.getKey()
                                + " (neighbour)"
                                : reach == Reachability.INDIRECT ? "reaches " + o.getKey() + " through "
                                + hop.map(h -> mesh.name(Sid.of(h.neighbour()))).orElse("?")
                                : null;
                        String key = e.getKey() + ">" + o.getKey();
                        if (state != null && !state.equals(seen.get(key))) {
                            seen.put(key, state);
                            mesh.log(e.getKey() + " " + state);
                        }
                        all &= state != null;
                    }
                }
                if (all) {
                    mesh.log("every node reaches every other");
                    return true;
                }
            }
            mesh.log("the mesh did not converge within 30 s");
            return false;
        }
    }

    /** A pings C: crypted echo requests to port 7 cross B both ways. */
    static final class PingStep implements Step {
        @Override
        public String title() {
            return "mdp ping A -> C (crypted echo, port 7, two hops each way)";
        }

        @Override
        public boolean run(Mesh mesh) {
            MdpNode a = mesh.nodes.get("A");
            Sid c = mesh.nodes.get("C").sid();
            List<Ping.Reply> replies = new ArrayList<>();
            Ping ping = a.call(now -> Ping.open(a.sockets(), rep -> {
                replies.add(rep);
                mesh.log(String.format(Locale.ROOT, "reply from %s: seq=%d time=%.1f ms %s", mesh.name(rep.from()),
                        rep.seq(), rep.rttNanos() / 1e6, rep.security()));
            })).join();
            int count = 5;
            for (int seq = 1; seq <= count; seq++) {
                int s = seq;
                a.call(now -> ping.send(c, s, now)).join();
                mesh.run(Duration.ofSeconds(1));
            }
            mesh.run(Duration.ofSeconds(2));
            a.call(now -> {
                ping.close();
                return null;
            });
            mesh.log(String.format(Locale.ROOT, "%d sent, %d replies, %.0f%% loss", count, replies.size(),
                    100.0 * (count - replies.size()) / count));
            return !replies.isEmpty();
        }
    }

    /** The trace service (port 8): every hop appends itself. */
    static final class TraceStep implements Step {
        @Override
        public String title() {
            return "mdp trace A -> C (trace service, port 8)";
        }

        @Override
        public boolean run(Mesh mesh) {
            MdpNode a = mesh.nodes.get("A");
            Sid c = mesh.nodes.get("C").sid();
            List<Datagram> got = new ArrayList<>();
            MdpSocket socket = a.call(now -> a.sockets().bind(0, got::add)).join();
            for (int attempt = 0; attempt < 3 && got.isEmpty(); attempt++) {
                a.call(now -> a.sockets().startTrace(socket, c)).join();
                mesh.run(Duration.ofSeconds(2));
            }
            a.call(now -> {
                socket.close();
                return null;
            });
            if (got.isEmpty()) {
                mesh.log("no trace came back");
                return false;
            }
            List<Sid> list = MdpSockets.traceAddresses(got.getFirst().data()).orElse(List.of());
            List<String> hops = new ArrayList<>(list.stream().skip(2).map(mesh::name).toList());
            hops.add(mesh.name(a.sid()));
            mesh.log("out and back, each hop appending itself: " + String.join(" -> ", hops));
            return true;
        }
    }

    /** The DNA lookup service (port 10): a signed broadcast answered by the node with that DID. */
    static final class DnaStep implements Step {
        @Override
        public String title() {
            return "dna lookup 5551003 from A (signed broadcast to port 10, crypted reply)";
        }

        @Override
        public boolean run(Mesh mesh) {
            MdpNode a = mesh.nodes.get("A");
            List<Datagram> got = new ArrayList<>();
            MdpSocket socket = a.call(now -> a.sockets().bind(0, got::add)).join();
            for (int attempt = 0; attempt < 3 && got.isEmpty(); attempt++) {
                a.call(now -> {
                    a.sockets().startDnaLookup(socket, "5551003");
                    return null;
                }).join();
                mesh.run(Duration.ofSeconds(2));
            }
            a.call(now -> {
                socket.close();
                return null;
            });
            for (Datagram d : got) {
                mesh.log("answer from " + mesh.name(d.from()) + " (" + d.security() + "): "
                        + new String(d.data(), StandardCharsets.UTF_8));
            }
            return !got.isEmpty();
        }
    }

    /** Each node's routing table. */
    static final class Routes implements Step {
        @Override
        public String title() {
            return "route print (next hop chosen by measured delivery, not hop count)";
        }

        @Override
        public boolean run(Mesh mesh) {
            for (var e : mesh.nodes.entrySet()) {
                StringBuilder b = new StringBuilder();
                for (Router.RouteEntry r : table(e.getValue())) {
                    Sid s = Sid.of(r.node());
                    if (s.equals(e.getValue().sid()) || s.isBroadcast()) {
                        continue;
                    }
                    b.append(String.format(Locale.ROOT, "  %s %-9s", mesh.name(s), r.reachability()));
                    r.nextHop().ifPresent(h -> b.append(String.format(Locale.ROOT, "via %s hops %d cost %.2f",
                            mesh.name(Sid.of(h.neighbour())), h.hops(), h.cost())));
                    b.append(";");
                }
                mesh.out.println("  " + e.getKey() + ":" + b);
            }
            return true;
        }
    }
}
