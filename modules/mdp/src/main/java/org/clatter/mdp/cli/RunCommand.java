package org.clatter.mdp.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Set;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.node.Instance;
import org.clatter.mdp.node.NodeDaemon;

/**
 * {@code clatter run --interface udp:ADDR/PREFIX[:PORT] ... [--peer ADDR[:PORT]] ...}: runs the node in the
 * foreground until {@code clatter stop} or a signal. Logs to standard error, or to the instance's log file with
 * {@code --log}.
 */
public final class RunCommand {
    private RunCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Args a = Args.parse(args, Set.of("instance", "pin", "interface", "peer"));
        if (a.all("interface").isEmpty()) {
            err.println("usage: clatter run --interface udp:ADDR/PREFIX[:PORT] ... [--peer ADDR[:PORT]] ...");
            return 2;
        }
        Instance instance = a.instance();
        instance.create();
        PrintStream log = err;
        if (a.flag("log")) {
            try {
                log = new PrintStream(new FileOutputStream(instance.logFile().toFile(), true), true);
            } catch (IOException e) {
                err.println("clatter run: cannot open the log " + instance.logFile() + ": " + e.getMessage());
                return 1;
            }
        }
        NodeDaemon d = NodeDaemon.start(instance, MdpCrypto.load(), a.all("interface"), a.all("peer"), log);
        Thread hook = new Thread(d::close, "clatter-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("sid:" + d.node().sid());
        out.println("instance:" + instance.dir());
        out.flush();
        try {
            d.awaitStop();
        } catch (InterruptedException e) {
            d.close();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        return 0;
    }
}
