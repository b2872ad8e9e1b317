package org.clatter.transport.sim;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clatter.spi.transport.FrameSink;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.LinkInfo;
import org.clatter.spi.transport.LinkState;
import org.clatter.spi.transport.LinkStateListener;
import org.clatter.spi.transport.SendResult;

/** A node's link onto the simulated network; every call runs on the simulation's thread. */
final class SimLink implements Link {
    private final SimNetwork net;
    private final SimNetwork.Node node;
    private final SimTransport owner;
    private final LinkInfo info;
    private final List<LinkStateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile LinkState state = LinkState.ACTIVE;
    private FrameSink sink;
    private long oversize;

    SimLink(SimNetwork net, SimNetwork.Node node, SimTransport owner) {
        this.net = net;
        this.node = node;
        this.owner = owner;
        this.info = new LinkInfo("sim:" + node.name, SimAddress.KIND, net.mtu(), 0, true, false, true,
                Duration.ofSeconds(1), Duration.ofSeconds(5), false);
    }

    @Override
    public LinkInfo info() {
        return info;
    }

    @Override
    public LinkState state() {
        return state;
    }

    @Override
    public LinkAddress localAddress() {
        return node.address;
    }

    @Override
    public Optional<LinkAddress> broadcastAddress() {
        return Optional.of(SimAddress.BROADCAST);
    }

    @Override
    public LinkAddress parseAddress(String text) {
        return SimAddress.parse(text);
    }

    @Override
    public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
        if (state == LinkState.DISABLED) {
            return SendResult.CLOSED;
        }
        if (length < 0 || length > info.mtu()) {
            return SendResult.TOO_LARGE;
        }
        if (!(destination instanceof SimAddress to)) {
            return SendResult.UNREACHABLE;
        }
        if (to.isBroadcast()) {
            return broadcast(frame, offset, length);
        }
        SimNetwork.Edge e = node.outByName.get(to.node());
        if (e == null) {
            return SendResult.UNREACHABLE;
        }
        return net.transmit(e, frame, offset, length, false);
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        if (state == LinkState.DISABLED) {
            return SendResult.CLOSED;
        }
        if (length < 0 || length > info.mtu()) {
            return SendResult.TOO_LARGE;
        }
        List<SimNetwork.Edge> out = node.out;
        for (int i = 0, n = out.size(); i < n; i++) {
            net.transmit(out.get(i), frame, offset, length, true);
        }
        return SendResult.SENT;
    }

    @Override
    public void start(FrameSink sink) {
        if (this.sink != null) {
            throw new IllegalStateException("link " + info.name() + " is already started");
        }
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
    }

    /** Writes an arriving frame into the sink; false if this link is not listening. */
    boolean deliver(SimAddress source, byte[] data, int length) {
        FrameSink s = sink;
        if (s == null || state != LinkState.ACTIVE) {
            return false;
        }
        FrameSlot slot = s.claim();
        if (length > slot.capacity()) {
            oversize++;
            slot.discard();
            s.publish(slot);
            return false;
        }
        MemorySegment.copy(data, 0, slot.segment(), ValueLayout.JAVA_BYTE, 0, length);
        slot.received(this, source, length, net.scheduler().clock().nanos());
        s.publish(slot);
        return true;
    }

    /** Frames that did not fit the sink's slots. */
    long oversize() {
        return oversize;
    }

    @Override
    public void addStateListener(LinkStateListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        LinkState previous;
        synchronized (this) {
            previous = state;
            if (previous == LinkState.DISABLED) {
                return;
            }
            state = LinkState.DISABLED;
        }
        if (node.link == this) {
            node.link = null;
        }
        owner.closed(this);
        for (LinkStateListener l : listeners) {
            l.stateChanged(this, previous, LinkState.DISABLED);
        }
    }

    @Override
    public String toString() {
        return info.name();
    }
}
