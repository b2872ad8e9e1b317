package org.clatter.signal.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.clatter.signal.NatsServerProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The NATS client against the real nats-server: wildcards, echo off, reconnect with re-subscription. */
@Tag("interop")
class NatsClientTest {

    @Test
    void publishSubscribeAndReconnect() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        NatsServerProcess server = new NatsServerProcess();
        int port = server.port();
        try (NatsClient sub = NatsClient.connect("nats://127.0.0.1:" + port, "sub",
                (s, p) -> got.add(s + "=" + new String(p)));
             NatsClient pub = NatsClient.connect("nats://127.0.0.1:" + port, "pub", (s, p) -> got.add("echo!"))) {
            sub.subscribe("sig.swarm.abc.*");
            sub.flush(2000);
            pub.subscribe("sig.swarm.abc.*");
            pub.flush(2000);
            pub.publish("sig.swarm.abc.h1", "one".getBytes());
            pub.publish("sig.swarm.other.h1", "no".getBytes());
            pub.flush(2000);
            await(got, "sig.swarm.abc.h1=one");
            assertTrue(!got.contains("echo!"), "echo is off: a host never hears itself");

            server.close();
            server = new NatsServerProcess(port);
            long end = System.currentTimeMillis() + 10_000;
            while ((sub.reconnects() == 0 || pub.reconnects() == 0) && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertEquals(1L, sub.reconnects());
            sub.flush(2000);
            pub.publish("sig.swarm.abc.h2", "two".getBytes());
            pub.flush(2000);
            await(got, "sig.swarm.abc.h2=two");
        } finally {
            server.close();
        }
        assertThrows(IOException.class, () -> NatsClient.connect("nats://127.0.0.1:1", "x", (s, p) -> { }));
        assertThrows(IllegalArgumentException.class, () -> NatsClient.connect("http://x", "x", (s, p) -> { }));
    }

    private static void await(List<String> got, String e) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!got.contains(e)) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("no " + e + " in " + got);
            }
            Thread.sleep(10);
        }
    }
}
