package org.clatter.mdp.node;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;
import org.clatter.mdp.keyring.Keyring;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.routing.Router;

/**
 * A running node in an instance directory: the keyring's identities on an {@link MdpNode} over the given
 * interfaces, the pid file, the {@link NodeService}s found on the module path (MSP relaying, Rhizome sync, ...),
 * and the control socket through which {@code clatter status}, {@code stop}, {@code id self}, {@code id peers},
 * {@code route print}, {@code mdp ping}, {@code mdp trace}, {@code dna lookup} and the services' verbs are
 * answered.
 */
public final class NodeDaemon implements AutoCloseable {
    private final Instance instance;
    private final MdpNode node;
    private final Crypto crypto;
    private final ControlServer control;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long started = System.nanoTime();
    private final PrintStream log;
    /** Started services, in start order. */
    private final List<NodeService> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Services that failed to start: name and why. */
    private final Map<String, String> failed = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, NodeService.Verb> verbs = new java.util.concurrent.ConcurrentHashMap<>();

    private NodeDaemon(Instance instance, MdpNode node, Crypto crypto, List<NodeService> candidates,
                       PrintStream log) {
        this.instance = instance;
        this.node = node;
        this.crypto = crypto;
        this.log = log;
        for (NodeService s : candidates) {
            startService(s);
        }
        try {
            this.control = ControlServer.serve(instance.controlSocket(), this::handle);
        } catch (RuntimeException e) {
            closeServices();
            throw e;
        }
    }

    /**
     * Starts a node: loads the keyring (an identity is created when it is empty), opens the interfaces, writes the
     * pid file and opens the control socket.
     *
     * @param interfaces e.g. {@code udp:127.0.0.1/8}, {@code udp:127.1.0.1/24:4111}
     * @param peers      addresses that get broadcasts by unicast ({@code ADDR[:PORT]}), for links without broadcast
     */
    public static NodeDaemon start(Instance instance, Crypto crypto, List<String> interfaces, List<String> peers,
                                   PrintStream log) {
        return start(instance, crypto, interfaces, peers, log, loadServices(log));
    }

    /**
     * Starts a node as {@link #start(Instance, Crypto, List, List, PrintStream)} does, with the given services
     * instead of those found with {@link java.util.ServiceLoader} (tests, embedding).
     */
    public static NodeDaemon start(Instance instance, Crypto crypto, List<String> interfaces, List<String> peers,
                                   PrintStream log, List<NodeService> services) {
        if (interfaces.isEmpty()) {
            throw new MdpException("no interface given; add --interface udp:ADDR/PREFIX[:PORT]");
        }
        instance.create();
        Keyring keyring = instance.loadKeyring(crypto);
        if (keyring.size() == 0) {
            Identity id = Identity.generate(crypto, "", "");
            keyring.add(id);
            instance.saveKeyring(keyring, crypto);
            log.println(stamp() + " keyring was empty: created identity " + id.sid());
        }
        MdpNode node = MdpNode.realTime(crypto, keyring.identities(), System.nanoTime());
        try {
            for (String i : interfaces) {
                node.addInterface(i, peers);
            }
            node.start();
            NodeDaemon d = new NodeDaemon(instance, node, crypto, services, log);
            instance.writePid(ProcessHandle.current().pid());
            log.println(stamp() + " node " + node.sid() + " running on " + node.interfaces() + ", services "
                    + d.services() + ", control "
                    + instance.controlSocket());
            return d;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Every {@link NodeService} provider on the module path; one that cannot be loaded is logged and skipped. */
    public static List<NodeService> loadServices(PrintStream log) {
        List<NodeService> out = new ArrayList<>();
        java.util.Iterator<NodeService> it = java.util.ServiceLoader.load(NodeService.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                log.println(stamp() + " a node service could not be loaded (skipped): " + e.getMessage());
            }
        }
    }

    private void startService(NodeService s) {
        String name;
        try {
            name = s.name();
        } catch (RuntimeException e) {
            name = s.getClass().getName();
        }
        String n = name;
        List<String> mine = new ArrayList<>();
        NodeService.Context context = new NodeService.Context() {
            @Override
            public MdpNode node() {
                return node;
            }

            @Override
            public Instance instance() {
                return instance;
            }

            @Override
            public Crypto crypto() {
                return crypto;
            }

            @Override
            public PrintStream log() {
                return log;
            }

            @Override
            public void register(String words, NodeService.Verb verb) {
                String key = String.join(" ", words.trim().split("\\s+"));
                if (BUILT_IN.contains(key.split(" ")[0]) || verbs.putIfAbsent(key, verb) != null) {
                    throw new MdpException("service " + n + " cannot add the verb '" + key
                            + "': the node or another service answers it already");
                }
                mine.add(key);
            }
        };
        try {
            s.start(context);
            services.add(s);
            log.println(stamp() + " service " + n + " started");
        } catch (RuntimeException | LinkageError e) {
            mine.forEach(verbs::remove);
            failed.put(n, String.valueOf(e.getMessage()));
            log.println(stamp() + " service " + n + " failed to start (skipped): " + e);
            try {
                s.close();
            } catch (RuntimeException | LinkageError ignored) {
                // it never ran
            }
        }
    }

    /** The names of the services that run. */
    public List<String> services() {
        return services.stream().map(NodeService::name).toList();
    }

    private void closeServices() {
        for (NodeService s : services.reversed()) {
            try {
                s.close();
            } catch (RuntimeException | LinkageError e) {
                log.println(stamp() + " service " + s.name() + " did not close cleanly: " + e);
            }
        }
        services.clear();
        verbs.clear();
    }

    /** First words the node answers itself; services cannot take them. */
    private static final java.util.Set<String> BUILT_IN = java.util.Set.of("status", "stop", "id", "route", "mdp",
            "dna", ControlServer.STREAM_STATUS);

    private static String stamp() {
        return Instant.now().toString();
    }

    public MdpNode node() {
        return node;
    }

    /** Blocks until {@code clatter stop} (or {@link #close}). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        control.close();
        closeServices();
        node.close();
        try {
            Files.deleteIfExists(instance.pidFile());
        } catch (java.io.IOException e) {
            // best effort
        }
        log.println(stamp() + " node stopped");
        stopped.countDown();
    }

    // ------------------------------------------------------------------------------------------------ commands

    private int handle(List<String> args, ControlServer.Session session) throws Exception {
        for (int words = Math.min(args.size(), 3); words > 0; words--) {
            NodeService.Verb v = verbs.get(String.join(" ", args.subList(0, words)));
            if (v != null) {
                return v.run(args.subList(words, args.size()), session);
            }
        }
        return handle(args, session.out(), session.err());
    }

    private int handle(List<String> args, PrintStream out, PrintStream err) {
        String cmd = String.join(" ", args.subList(0, Math.min(2, args.size())));
        try {
            if (args.isEmpty()) {
                err.println("clatter: empty control request");
                return 1;
            }
            switch (args.getFirst()) {
                case "status":
                    return status(out);
                case "stop":
                    out.println("stopping " + node.sid());
                    Thread.ofVirtual().start(() -> {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            // stop anyway
                        }
                        close();
                    });
                    return 0;
                default:
                    break;
            }
            switch (cmd) {
                case "id self":
                    for (Identity i : node.identities()) {
                        out.println(i.sid());
                    }
                    return 0;
                case "id peers":
                    for (Sid s : node.call(now -> node.engine().peers()).get(5, TimeUnit.SECONDS)) {
                        out.println(s);
                    }
                    return 0;
                case "route print":
                    return routePrint(out);
                case "mdp ping":
                    return ping(args.subList(2, args.size()), out, err);
                case "mdp trace":
                    return trace(args.subList(2, args.size()), out, err);
                case "dna lookup":
                    return dnaLookup(args.subList(2, args.size()), out, err);
                default:
                    err.println("clatter: the node does not know '" + String.join(" ", args) + "'");
                    return 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("clatter: the node did not answer: " + e);
            return 1;
        }
    }

    private int status(PrintStream out) throws InterruptedException {
        Map<String, Long> events;
        int peers;
        try {
            events = node.call(now -> node.engine().events()).get(5, TimeUnit.SECONDS);
            peers = node.call(now -> node.engine().peers().size()).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            out.println("status:stalled");
            return 1;
        }
        out.println("status:running");
        out.println("pid:" + ProcessHandle.current().pid());
        out.println("instance:" + instance.dir());
        out.println("sid:" + node.sid());
        out.println("interfaces:" + String.join(",", node.interfaces()));
        out.println("peers:" + peers);
        out.println("uptime:" + (System.nanoTime() - started) / 1_000_000_000L + "s");
        events.forEach((k, v) -> out.println("event." + k + ":" + v));
        out.println("services:" + String.join(",", services()));
        failed.forEach((name, why) -> out.println("service." + name + ":failed: " + why));
        for (NodeService s : services) {
            out.println("service." + s.name() + ":running");
            try {
                new java.util.TreeMap<>(s.status()).forEach((k, v) -> out.println(s.name() + "." + k + ":" + v));
            } catch (RuntimeException e) {
                out.println("service." + s.name() + ".status:failed: " + e.getMessage());
            }
        }
        return 0;
    }

    private int routePrint(PrintStream out) throws Exception {
        List<Router.RouteEntry> table = node.call(now -> node.engine().router().table()).get(5, TimeUnit.SECONDS);
        out.println("Subscriber id:Routing flags:Interface:Next hop:Hops:Cost");
        for (Router.RouteEntry e : table) {
            out.println(routeLine(e));
        }
        return 0;
    }

    /** One {@code route print} line: SID, reachability, interface, next hop, hops, cost. */
    public static String routeLine(Router.RouteEntry e) {
        return Sid.of(e.node()) + ":" + e.reachability() + ":"
                + e.nextHop().map(h -> String.valueOf(h.interfaceId())).orElse("") + ":"
                + e.nextHop().map(h -> Sid.of(h.neighbour()).toString()).orElse("") + ":"
                + e.nextHop().map(h -> String.valueOf(h.hops())).orElse("") + ":"
                + e.nextHop().map(h -> String.format(Locale.ROOT, "%.2f", h.cost())).orElse("");
    }

    private int ping(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String target = null;
        int count = -1;
        double interval = 1.0;
        double timeout = 3.0;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--interval") && i + 1 < args.size()) {
                interval = Double.parseDouble(args.get(++i));
            } else if (a.equals("--timeout") && i + 1 < args.size()) {
                timeout = Double.parseDouble(args.get(++i));
            } else if (target == null) {
                target = a;
            } else {
                count = Integer.parseInt(a);
            }
        }
        if (target == null) {
            err.println("usage: clatter mdp ping SID|broadcast [COUNT] [--interval S] [--timeout S]");
            return 1;
        }
        if (count <= 0) {
            count = 5;
        }
        Sid to = target.equalsIgnoreCase("broadcast") ? Sid.BROADCAST : Sid.parse(target);
        LinkedBlockingQueue<Ping.Reply> replies = new LinkedBlockingQueue<>();
        Ping ping = node.call(now -> Ping.open(node.sockets(), replies::add)).get(5, TimeUnit.SECONDS);
        int received = 0;
        List<Long> rtts = new ArrayList<>();
        try {
            out.println("MDP PING " + to + ": 12 data bytes");
            long intervalNanos = (long) (interval * 1e9);
            long end = 0;
            for (int seq = 1; seq <= count; seq++) {
                int s = seq;
                boolean sent = node.call(now -> ping.send(to, s, now)).get(5, TimeUnit.SECONDS);
                if (!sent) {
                    err.println("no route to " + to + " (seq=" + seq + ")");
                }
                long until = System.nanoTime() + (seq == count ? (long) (timeout * 1e9) : intervalNanos);
                end = until;
                received += drain(replies, until, out, rtts, seq == count && !to.isBroadcast() ? count - received
                        : Integer.MAX_VALUE);
            }
            received += drain(replies, Math.min(end, System.nanoTime()), out, rtts, Integer.MAX_VALUE);
        } finally {
            node.call(now -> {
                ping.close();
                return null;
            });
        }
        out.println("--- " + to + " ping statistics ---");
        long lost = to.isBroadcast() ? 0 : Math.max(0, count - received);
        out.printf(Locale.ROOT, "%d packets transmitted, %d packets received, %.0f%% packet loss%n", count, received,
                to.isBroadcast() ? 0.0 : 100.0 * lost / count);
        if (!rtts.isEmpty()) {
            out.printf(Locale.ROOT, "round-trip min/avg/max = %.3f/%.3f/%.3f ms%n",
                    rtts.stream().mapToLong(Long::longValue).min().orElse(0) / 1e6,
                    rtts.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6,
                    rtts.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6);
        }
        return received > 0 ? 0 : 1;
    }

    private static int drain(LinkedBlockingQueue<Ping.Reply> q, long until, PrintStream out, List<Long> rtts,
                             int stopAfter) throws InterruptedException {
        int n = 0;
        while (n < stopAfter) {
            long wait = until - System.nanoTime();
            Ping.Reply r = wait > 0 ? q.poll(wait, TimeUnit.NANOSECONDS) : q.poll();
            if (r == null) {
                return n;
            }
            n++;
            rtts.add(r.rttNanos());
            out.printf(Locale.ROOT, "%s: seq=%d time=%.3fms %s%n", r.from(), r.seq(), r.rttNanos() / 1e6,
                    r.security());
        }
        return n;
    }

    private int dnaLookup(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            err.println("usage: clatter dna lookup DID [TIMEOUT_SECONDS]");
            return 1;
        }
        String did = args.getFirst();
        double timeout = args.size() > 1 ? Double.parseDouble(args.get(1)) : 3.0;
        LinkedBlockingQueue<Datagram> got = new LinkedBlockingQueue<>();
        MdpSocket socket = node.call(now -> node.sockets().bind(0, got::add)).get(5, TimeUnit.SECONDS);
        int found = 0;
        try {
            node.call(now -> {
                node.sockets().startDnaLookup(socket, did);
                return null;
            }).get(5, TimeUnit.SECONDS);
            long until = System.nanoTime() + (long) (timeout * 1e9);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (long wait; (wait = until - System.nanoTime()) > 0; ) {
                Datagram d = got.poll(wait, TimeUnit.NANOSECONDS);
                if (d == null) {
                    break;
                }
                String[] f = new String(d.data(), java.nio.charset.StandardCharsets.UTF_8).split("\\|", -1);
                if (f.length >= 4 && seen.add(f[1])) {
                    out.println(f[1] + ":" + f[2] + ":" + f[3]);
                    found++;
                }
            }
        } finally {
            node.call(now -> {
                socket.close();
                return null;
            });
        }
        return found > 0 ? 0 : 1;
    }

    private int trace(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            err.println("usage: clatter mdp trace SID");
            return 1;
        }
        Sid to = Sid.parse(args.getFirst());
        LinkedBlockingQueue<Datagram> got = new LinkedBlockingQueue<>();
        MdpSocket socket = node.call(now -> node.sockets().bind(0, got::add)).get(5, TimeUnit.SECONDS);
        try {
            boolean sent = node.call(now -> node.sockets().startTrace(socket, to)).get(5, TimeUnit.SECONDS);
            if (!sent) {
                err.println("no route to " + to);
                return 1;
            }
            Datagram d = got.poll(5, TimeUnit.SECONDS);
            if (d == null) {
                err.println("no trace reply from " + to + " within 5 s");
                return 1;
            }
            List<Sid> list = MdpSockets.traceAddresses(d.data()).orElse(List.of());
            out.println("Tracing the network path from " + node.sid() + " to " + to);
            for (int i = 2; i < list.size(); i++) {
                out.println((i - 2) + ":" + list.get(i));
            }
            return 0;
        } finally {
            node.call(now -> {
                socket.close();
                return null;
            });
        }
    }
}
