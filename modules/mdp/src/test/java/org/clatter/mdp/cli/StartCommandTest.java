package org.clatter.mdp.cli;

import static org.clatter.mdp.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.clatter.mdp.node.ControlClient;
import org.clatter.mdp.cli.CommandRun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clatter start} spawns the node in a child JVM and returns once it answers; a second node run in-process
 * over UDP on loopback pings it with {@code clatter mdp ping}, and {@code clatter stop} ends the child.
 */
class StartCommandTest {
    @TempDir
    Path dir;

    @Test
    void startRunsTheNodeInTheBackgroundAndStopEndsIt() throws Exception {
        int port = NodeCommandsTest.freePort();
        String child = dir.resolve("child").toString();
        String here = dir.resolve("here").toString();
        Result started = run(StartCommand::run, "--instance", child, "--interface", "udp:127.0.0.3/8:" + port);
        String log = Files.exists(Path.of(child, "clatter.log")) ? Files.readString(Path.of(child, "clatter.log")) : "";
        assertEquals(0, started.code(), started.out() + started.err() + log);
        long pid = Long.parseLong(started.out().lines().filter(l -> l.startsWith("pid:")).findFirst().orElseThrow()
                .substring(4));
        Optional<ProcessHandle> proc = ProcessHandle.of(pid);
        assertTrue(proc.isPresent() && proc.get().isAlive(), "the node runs in a child process");
        assertTrue(pid != ProcessHandle.current().pid());
        Thread local = Thread.ofPlatform().start(() -> run(RunCommand::run, "--instance", here, "--interface",
                "udp:127.0.0.4/8:" + port));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && !ControlClient.answers(Path.of(here, "clatter.sock"))) {
                Thread.sleep(50);
            }
            String childSid = run(IdCommand::run, "self", "--instance", child).out().trim();
            String hereSid = run(IdCommand::run, "self", "--instance", here).out().trim();
            while (System.nanoTime() < deadline
                    && !run(IdCommand::run, "peers", "--instance", here).out().contains(childSid)) {
                Thread.sleep(100);
            }
            Result ping = run(MdpCommand::run, "ping", childSid, "2", "--interval", "0.2", "--instance", here);
            assertEquals(0, ping.code(), ping.out() + ping.err());
            assertTrue(ping.out().contains(childSid + ": seq=1 time="), ping.out());
            Result back = run(MdpCommand::run, "ping", hereSid, "2", "--interval", "0.2", "--instance", child);
            assertEquals(0, back.code(), back.out() + back.err());
            assertTrue(back.out().contains(hereSid + ": seq="), back.out());
            assertEquals(List.of(hereSid), run(IdCommand::run, "peers", "--instance", child).out().lines().toList());
        } finally {
            run(StopCommand::run, "--instance", here);
            Result stop = run(StopCommand::run, "--instance", child);
            assertEquals(0, stop.code(), stop.err());
            local.join(10_000);
        }
        assertTrue(proc.get().onExit().get(10, TimeUnit.SECONDS).pid() == pid, "the child exits after stop");
        assertTrue(Files.readString(Path.of(child, "clatter.log")).contains("node stopped"));
        assertEquals(1, run(StatusCommand::run, "--instance", child).code());
    }
}
