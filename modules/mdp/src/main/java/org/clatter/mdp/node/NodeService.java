package org.clatter.mdp.node;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.clatter.spi.crypto.Crypto;

/**
 * A service that runs inside the node daemon ({@code clatter start} / {@code clatter run}) next to the MDP node:
 * MSP relaying ({@code org.clatter.msp}) and Rhizome sync ({@code org.clatter.rhizome}) are two. Third parties add
 * their own the same way: implement this interface with a public no-argument constructor and declare it in the
 * module that holds it,
 *
 * <pre>{@code
 * module com.example.chat {
 *     requires org.clatter.mdp;
 *     provides org.clatter.mdp.node.NodeService with com.example.chat.ChatService;
 * }
 * }</pre>
 *
 * then put the module on the node's module path (or in the runtime image): {@link NodeDaemon} finds every
 * provider with {@link java.util.ServiceLoader} when it starts, calls {@link #start} once with a
 * {@link Context}, lists the service in {@code clatter status} with its {@link #status()} lines, and calls
 * {@link #close()} when the node stops. A service whose {@code start} throws is logged and skipped; the node and
 * the other services carry on. A service may add control-channel verbs ({@link Context#register}) that the
 * {@code clatter} command forwards to the running node, e.g. {@code clatter msp listen 99}.
 *
 * <p>Threading: {@code start}, {@code status} and {@code close} run on the daemon's threads, never on the node's
 * engine thread; touch the node's engine and sockets only inside {@link MdpNode#call}. Verbs run on a virtual
 * thread per control connection.
 */
public interface NodeService extends AutoCloseable {
    /** A short lower-case name for logs and {@code clatter status}, e.g. {@code "msp"}. */
    String name();

    /**
     * Starts the service on a running node. Throw an unchecked exception with a message that says what to do when
     * the service cannot run; the node logs it and carries on without this service.
     */
    void start(Context context);

    /** Lines for {@code clatter status}, as {@code key -> value} (printed {@code name.key:value}); none by default. */
    default Map<String, String> status() {
        return Map.of();
    }

    /** Stops the service; the node is still running. Must not throw. */
    @Override
    void close();

    /** What a service gets when it starts. */
    interface Context {
        /** The running node (started, its interfaces open). */
        MdpNode node();

        /** The instance directory the node runs in. */
        Instance instance();

        /** The crypto the node uses. */
        Crypto crypto();

        /** The node's log (the instance's {@code clatter.log} under {@code clatter start}). */
        PrintStream log();

        /**
         * Adds a control-channel verb: a request whose first words equal {@code words} (e.g. {@code "msp listen"})
         * runs {@code verb} with the remaining arguments. The longest registered prefix wins.
         *
         * @throws org.clatter.mdp.MdpException if the node or another service already answers these words
         */
        void register(String words, Verb verb);
    }

    /** A control-channel verb of a service. */
    @FunctionalInterface
    interface Verb {
        /**
         * Runs the verb for one client and returns its exit code. Write to {@link ControlServer.Session#out()} and
         * {@link ControlServer.Session#err()}; call {@link ControlServer.Session#stream()} to relay raw bytes.
         *
         * @param args the request's arguments after the verb's words
         */
        int run(List<String> args, ControlServer.Session session) throws Exception;
    }
}
