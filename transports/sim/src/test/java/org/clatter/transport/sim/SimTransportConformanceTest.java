package org.clatter.transport.sim;

import java.time.Duration;
import java.util.List;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.spi.transport.Transport;
import org.clatter.transport.tck.TransportConformanceTest;

/** The transport TCK on a two-node simulated network with a lossless profile. */
class SimTransportConformanceTest extends TransportConformanceTest {
    private VirtualScheduler scheduler;

    @Override
    protected Transport createTransport() {
        scheduler = new VirtualScheduler();
        SimNetwork net = new SimNetwork(scheduler, 7);
        net.addNode("A").addNode("B").link("A", "B", LinkProfile.ideal());
        return net.transport();
    }

    @Override
    protected List<String> linkSpecs() {
        return List.of("A", "B");
    }

    @Override
    protected void pump(Duration duration) {
        scheduler.runFor(duration.toNanos());
    }

    @Override
    protected int examples() {
        return 100;
    }
}
