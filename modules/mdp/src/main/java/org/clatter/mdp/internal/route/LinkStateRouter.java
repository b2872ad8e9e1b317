package org.clatter.mdp.internal.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import org.clatter.spi.routing.LinkObservation;
import org.clatter.spi.routing.LinkStateAdvert;
import org.clatter.spi.routing.NextHop;
import org.clatter.spi.routing.NodeId;
import org.clatter.spi.routing.Reachability;
import org.clatter.spi.routing.Router;

/**
 * Shortest paths over a graph of directed edges "transmitter → receiver" (spec §6): our own edges to neighbours
 * come from {@link #linkObserved} (their cost from the delivery the neighbour reports), every other edge from
 * link-state records. Edge cost is {@code 1 + 3 × drop rate}, so a lossy hop costs up to four clean ones: the
 * metric follows measured delivery, not hop count. Records not refreshed within the timeout expire. Iteration is
 * over sorted maps so that runs are deterministic.
 */
public final class LinkStateRouter implements Router {
    private final NodeId self;
    private final long timeoutNanos;
    private final Map<NodeId, LinkObservation> direct = new TreeMap<>();
    private final Map<String, LinkStateAdvert> adverts = new TreeMap<>();
    private final Map<NodeId, NextHop> routes = new HashMap<>();
    private final TreeSet<NodeId> known = new TreeSet<>();
    private final Map<NodeId, NodeId> prev = new HashMap<>();
    private final Map<NodeId, Long> holdDown = new HashMap<>();
    private final long holdDownNanos;
    private boolean dirty = true;

    /**
     * @param timeoutNanos  how long a record lives without being refreshed
     * @param holdDownNanos how long a destination whose route broke ignores second-hand claims, so that stale paths
     *                      die out instead of counting to infinity
     */
    public LinkStateRouter(NodeId self, long timeoutNanos, long holdDownNanos) {
        this.self = self;
        this.timeoutNanos = timeoutNanos;
        this.holdDownNanos = holdDownNanos;
    }

    @Override
    public NodeId self() {
        return self;
    }

    @Override
    public void linkObserved(LinkObservation o) {
        LinkObservation old = direct.put(o.neighbour(), o);
        known.add(o.neighbour());
        if (old == null || old.unicast() != o.unicast() || Math.abs(old.deliveredRatio() - o.deliveredRatio()) > 0.05
                || !old.linkAddress().equals(o.linkAddress())) {
            dirty = true;
        }
    }

    @Override
    public void advertReceived(LinkStateAdvert a) {
        if (!a.to().equals(a.from()) && holdDown.getOrDefault(a.to(), Long.MIN_VALUE) > a.observedAtNanos()) {
            return;
        }
        // A node's own neighbour records (to == from) are one per transmitter; its routes are one per destination.
        String key = a.from() + (a.to().equals(a.from()) ? "<" + a.to() + "<" + a.transmitter() : ">" + a.to());
        LinkStateAdvert old = adverts.put(key, a);
        known.add(a.to());
        known.add(a.transmitter());
        if (old == null || !old.transmitter().equals(a.transmitter())
                || Math.abs(old.dropRate() - a.dropRate()) > 0.05) {
            dirty = true;
        }
    }

    /**
     * A node said it has no path to {@code to}: forget its claim, and if our route went through it, hold the
     * destination down.
     */
    public void withdraw(NodeId from, NodeId to, long nowNanos) {
        if (adverts.remove(from + ">" + to) != null) {
            dirty = true;
        }
        NextHop h = routes.get(to);
        if (h != null && h.neighbour().equals(from)) {
            startHoldDown(to, nowNanos);
        }
    }

    private void startHoldDown(NodeId dest, long nowNanos) {
        holdDown.put(dest, nowNanos + holdDownNanos);
        String suffix = ">" + dest;
        adverts.keySet().removeIf(k -> k.endsWith(suffix));
        dirty = true;
    }

    @Override
    public void neighbourLost(NodeId neighbour, int interfaceId, long nowNanos) {
        if (direct.remove(neighbour) != null) {
            dirty = true;
        }
        for (NextHop h : List.copyOf(routes.values())) {
            if (h.neighbour().equals(neighbour)) {
                startHoldDown(h.destination(), nowNanos);
            }
        }
    }

    @Override
    public boolean recompute(long nowNanos) {
        holdDown.values().removeIf(until -> until <= nowNanos);
        for (Iterator<LinkStateAdvert> it = adverts.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().observedAtNanos() > timeoutNanos) {
                it.remove();
                dirty = true;
            }
        }
        if (!dirty) {
            return false;
        }
        dirty = false;
        Map<NodeId, List<LinkStateAdvert>> edges = new HashMap<>();
        for (LinkStateAdvert a : adverts.values()) {
            if (!a.transmitter().equals(self) && !a.to().equals(self)) {
                edges.computeIfAbsent(a.transmitter(), k -> new ArrayList<>()).add(a);
            }
        }
        Map<NodeId, Double> dist = new HashMap<>();
        Map<NodeId, NodeId> firstHop = new HashMap<>();
        Map<NodeId, Integer> hops = new HashMap<>();
        prev.clear();
        PriorityQueue<Object[]> q = new PriorityQueue<>((x, y) -> {
            int c = Double.compare((double) x[1], (double) y[1]);
            return c != 0 ? c : ((NodeId) x[0]).compareTo((NodeId) y[0]);
        });
        for (LinkObservation o : direct.values()) {
            if (o.unicast() && o.deliveredRatio() > 0) {
                double cost = 1 + 3 * (1 - o.deliveredRatio());
                q.add(new Object[] {o.neighbour(), cost, o.neighbour(), 1, self});
            }
        }
        dist.put(self, 0.0);
        while (!q.isEmpty()) {
            Object[] e = q.poll();
            NodeId n = (NodeId) e[0];
            if (dist.containsKey(n)) {
                continue;
            }
            double d = (double) e[1];
            dist.put(n, d);
            firstHop.put(n, (NodeId) e[2]);
            hops.put(n, (int) e[3]);
            prev.put(n, (NodeId) e[4]);
            for (LinkStateAdvert a : edges.getOrDefault(n, List.of())) {
                if (!dist.containsKey(a.to())) {
                    q.add(new Object[] {a.to(), d + 1 + 3 * a.dropRate(), e[2], (int) e[3] + 1, n});
                }
            }
        }
        Map<NodeId, NextHop> fresh = new HashMap<>();
        for (var en : firstHop.entrySet()) {
            LinkObservation o = direct.get(en.getValue());
            fresh.put(en.getKey(), new NextHop(en.getKey(), en.getValue(), o.interfaceId(), o.linkAddress(),
                    hops.get(en.getKey()), dist.get(en.getKey())));
        }
        boolean changed = !fresh.equals(routes);
        routes.clear();
        routes.putAll(fresh);
        return changed;
    }

    @Override
    public Optional<NextHop> nextHop(NodeId destination) {
        NextHop h = routes.get(destination);
        if (h == null) {
            LinkObservation o = direct.get(destination);
            if (o != null) {
                h = new NextHop(destination, destination, o.interfaceId(), o.linkAddress(), 1, 4);
            }
        }
        return Optional.ofNullable(h);
    }

    @Override
    public Reachability reachability(NodeId destination) {
        if (destination.equals(self)) {
            return Reachability.SELF;
        }
        NextHop h = routes.get(destination);
        if (h != null) {
            return h.hops() == 1 ? Reachability.UNICAST : Reachability.INDIRECT;
        }
        return direct.containsKey(destination) ? Reachability.BROADCAST : Reachability.NONE;
    }

    /** The last hop of our path to a destination: the transmitter our routing adverts name. */
    public Optional<NodeId> lastHop(NodeId destination) {
        return Optional.ofNullable(routes.containsKey(destination) ? prev.get(destination) : null);
    }

    /** The link-state records held, one line each ({@code advertiser: transmitter -> receiver drop}), for diagnostics. */
    public List<String> records() {
        List<String> out = new ArrayList<>();
        for (LinkStateAdvert a : adverts.values()) {
            out.add(a.from().abbreviation(6) + ": " + a.transmitter().abbreviation(6) + " -> " + a.to().abbreviation(6)
                    + String.format(" drop %.2f at %.1fs", a.dropRate(), a.observedAtNanos() / 1e9));
        }
        for (LinkObservation o : direct.values()) {
            out.add("direct: " + o.neighbour().abbreviation(6) + (o.unicast() ? " unicast" : " heard")
                    + String.format(" delivered %.2f at %.1fs", o.deliveredRatio(), o.observedAtNanos() / 1e9));
        }
        return out;
    }

    @Override
    public List<RouteEntry> table() {
        List<RouteEntry> out = new ArrayList<>();
        out.add(new RouteEntry(self, Reachability.SELF, Optional.empty()));
        for (NodeId n : known) {
            if (!n.equals(self)) {
                out.add(new RouteEntry(n, reachability(n), nextHop(n)));
            }
        }
        return out;
    }
}
