package org.clatter.transport.udp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;

/** Test helpers: a free UDP port (so parallel builds do not collide on 4110), sleeping as pumping, and awaiting. */
final class UdpTestPorts {
    private UdpTestPorts() {
    }

    static int freePort() {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("0.0.0.0", 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code c} every millisecond for up to {@code millis}; its last answer. */
    static boolean await(java.util.function.BooleanSupplier c, int millis) {
        for (int i = 0; i < millis && !c.getAsBoolean(); i++) {
            sleep(Duration.ofMillis(1));
        }
        return c.getAsBoolean();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
