package org.clatter.transport.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportException;

/** Opens node links on a {@link SimNetwork}: the spec is a node name, or empty for this transport's own node. */
final class SimTransport implements Transport {
    private final SimNetwork net;
    private final Optional<String> defaultNode;
    private final List<SimLink> links = new ArrayList<>();
    private boolean closed;

    SimTransport(SimNetwork net, Optional<String> defaultNode) {
        this.net = net;
        this.defaultNode = defaultNode;
    }

    @Override
    public String kind() {
        return SimAddress.KIND;
    }

    @Override
    public synchronized Link open(String spec) {
        if (closed) {
            throw new TransportException("this simulated transport is closed; create another from the SimNetwork");
        }
        String name = spec == null || spec.isBlank() ? defaultNode.orElseThrow(() -> new TransportException(
                "no node given: open(\"<node name>\") or take the transport from SimNetwork.transport(node)"))
                : spec.trim();
        if (!net.hasNode(name)) {
            throw new TransportException("no node '" + name + "' in the simulated network; add it with SimNetwork.addNode");
        }
        SimNetwork.Node node = net.node(name);
        if (node.link != null) {
            throw new TransportException("node " + name + " already has an open link; close it first");
        }
        SimLink link = new SimLink(net, node, this);
        node.link = link;
        links.add(link);
        return link;
    }

    synchronized void closed(SimLink link) {
        links.remove(link);
    }

    @Override
    public void close() {
        List<SimLink> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(links);
        }
        for (SimLink l : open) {
            l.close();
        }
    }
}
