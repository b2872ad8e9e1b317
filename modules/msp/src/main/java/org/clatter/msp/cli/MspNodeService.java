package org.clatter.msp.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.Sid;
import org.clatter.mdp.node.ControlServer;
import org.clatter.mdp.node.MdpNode;
import org.clatter.mdp.node.NodeService;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspStreams;
import org.clatter.msp.mdp.MspNode;

/**
 * MSP in the node daemon: one {@link MspNode} on the daemon's {@link MdpNode} (its ports in the node's port table,
 * {@link org.clatter.msp.mdp.MdpSocketLayer}) and the control verbs {@code msp listen PORT} and
 * {@code msp connect SID PORT}, which relay the client's raw bytes over one MSP stream in the control channel's
 * stream mode. {@code clatter msp listen|connect|send-file|receive-file} use them when a node runs in the instance.
 */
public final class MspNodeService implements NodeService {
    private MdpNode node;
    private MspNode msp;

    /** For {@link java.util.ServiceLoader}. */
    public MspNodeService() {
    }

    @Override
    public String name() {
        return "msp";
    }

    @Override
    public void start(Context context) {
        node = context.node();
        msp = MspNode.on(node, MspConfig.defaults());
        context.register("msp listen", this::listen);
        context.register("msp connect", this::connect);
    }

    @Override
    public Map<String, String> status() {
        Map<String, String> out = new TreeMap<>();
        try {
            Map<String, Long> c = msp.call(e -> Map.copyOf(e.counters())).get(5, TimeUnit.SECONDS);
            c.forEach((k, v) -> out.put(k, Long.toString(v)));
            out.put("connections", Integer.toString(msp.call(e -> e.connectionCount()).get(5, TimeUnit.SECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            out.put("state", "not answering");
        }
        return out;
    }

    private int listen(List<String> args, ControlServer.Session session) throws Exception {
        if (args.size() != 1) {
            session.err().println("usage: clatter msp listen PORT");
            return 2;
        }
        int port = MspCommand.port(args.getFirst());
        java.util.concurrent.atomic.AtomicReference<org.clatter.msp.MspListening> listening =
                new java.util.concurrent.atomic.AtomicReference<>();
        try {
            return relay(MspCommand.accept(msp, node.sid(), port, session.err(), listening::set), session);
        } finally {
            if (listening.get() != null) {
                msp.call(e -> {
                    listening.get().close();
                    return null;
                });
            }
        }
    }

    private int connect(List<String> args, ControlServer.Session session) throws Exception {
        if (args.size() != 2) {
            session.err().println("usage: clatter msp connect SID PORT");
            return 2;
        }
        Sid to = Sid.parse(args.get(0));
        int port = MspCommand.port(args.get(1));
        MspStreams s = MspCommand.open(msp, node.sid(), to, port, this::awaitRoute, session.err());
        return relay(s, session);
    }

    private static int relay(MspStreams s, ControlServer.Session session) throws Exception {
        ControlServer.Stream raw = session.stream();
        PrintStream err = session.err();
        return MspCommand.relay(s, raw.input(), raw.output(), raw::shutdownOutput, err);
    }

    private boolean awaitRoute(Sid to, double seconds) throws InterruptedException {
        return InProcessNode.awaitRoute(() -> node.call(n -> node.engine().reachability(to).reachable()), seconds);
    }

    @Override
    public void close() {
        if (msp != null) {
            msp.close();
        }
    }
}
