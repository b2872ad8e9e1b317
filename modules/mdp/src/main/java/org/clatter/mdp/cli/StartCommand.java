package org.clatter.mdp.cli;

import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.clatter.mdp.node.ControlClient;
import org.clatter.mdp.node.Instance;

/**
 * {@code clatter start --interface udp:ADDR/PREFIX[:PORT] ...}: starts {@code clatter run} detached in the
 * background with the same Java launcher and module path, and returns once its control socket answers.
 */
public final class StartCommand {
    private StartCommand() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Args a = Args.parse(args, Set.of("instance", "pin", "interface", "peer"));
        if (a.all("interface").isEmpty()) {
            err.println("usage: clatter start --interface udp:ADDR/PREFIX[:PORT] ... [--peer ADDR[:PORT]] ...");
            return 2;
        }
        Instance instance = a.instance();
        instance.create();
        if (ControlClient.answers(instance.controlSocket())) {
            err.println("clatter start: a node is already running in " + instance.dir() + "; `clatter stop` it first");
            return 1;
        }
        List<String> cmd = new ArrayList<>(launcher());
        cmd.add("run");
        cmd.add("--log");
        cmd.add("--instance");
        cmd.add(instance.dir().toString());
        for (String s : args) {
            cmd.add(s);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(instance.logFile().toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(instance.logFile().toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            err.println("clatter start: cannot start " + cmd + ": " + e.getMessage());
            return 1;
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ControlClient.answers(instance.controlSocket())) {
                out.println("instancepath:" + instance.dir());
                out.println("pid:" + p.pid());
                return StatusCommand.run(args, in, new PrintStream(PrintStream.nullOutputStream()), err) == 0 ? 0 : 1;
            }
            if (!p.isAlive()) {
                err.println("clatter start: the node exited with status " + p.exitValue() + "; see "
                        + instance.logFile());
                return 1;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        err.println("clatter start: the node did not answer within 30 s; see " + instance.logFile());
        return 1;
    }

    /**
     * How to launch a node: the current java launcher, with the module path this program runs with (none in the
     * runtime image), then {@link NodeMain} in this module. The {@link org.clatter.mdp.node.NodeService} providers
     * on that path (or in the image) are resolved with it, by service binding.
     */
    static List<String> launcher() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(modulePath);
        }
        // The node's services may load native code: Rhizome's SQLite driver, when it is in the image or on the path.
        cmd.add(ModuleLayer.boot().findModule("org.xerial.sqlitejdbc").isPresent()
                ? "--enable-native-access=ALL-UNNAMED,org.xerial.sqlitejdbc" : "--enable-native-access=ALL-UNNAMED");
        cmd.add("--module");
        cmd.add(NodeMain.class.getModule().getName() + "/" + NodeMain.class.getName());
        return cmd;
    }
}
