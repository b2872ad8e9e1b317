package org.clatter.mdp.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.clatter.core.metrics.CounterRegistry;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.transport.FrameSink;
import org.clatter.core.buffer.ArraySlot;
import org.clatter.spi.transport.FrameSlot;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;

/**
 * Runs a {@link MeshEngine} on real links (UDP) in one engine thread: received frames are copied off the links'
 * threads into a queue, the engine thread feeds them in and polls the engine at the times it asks for, and calls
 * from other threads run on the engine thread through {@link #call}.
 *
 * <pre>
 *   link threads ──copy──► inbound queue ─┐
 *   callers ──► call(fn) ──► task queue ──┴─► engine thread: receive / poll(now) ─► link.send / broadcast
 * </pre>
 *
 * A simple blocking queue for now; the node moves onto {@code org.clatter.core.pipeline}'s rings when the CLI
 * node commands land.
 */
public final class MeshNode implements AutoCloseable {
    private final MeshEngine engine;
    private final List<Link> links = new ArrayList<>();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>(100_000);
    private final Thread thread;
    private final List<MeshEngine.Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    /** @param crypto used only by this node's engine thread (a {@link Crypto} is not thread-safe: one per node) */
    public MeshNode(Crypto crypto, Identity identity, long seed) {
        this.engine = new MeshEngine(crypto, identity, seed, new MeshEngine.Listener() {
            @Override
            public void datagram(Sid from, long sp, Sid to, long dp, MeshEngine.Security sec, byte[] data, long now) {
                for (MeshEngine.Listener l : listeners) {
                    l.datagram(from, sp, to, dp, sec, data, now);
                }
            }

            @Override
            public void datagram(Sid from, long sp, Sid to, long dp, MeshEngine.Security sec, byte[] buf, int off,
                                 int len, long now) {
                for (MeshEngine.Listener l : listeners) {
                    l.datagram(from, sp, to, dp, sec, buf, off, len, now);
                }
            }
        }, new CounterRegistry());
        this.thread = Thread.ofPlatform().name("mdp-" + identity.sid().abbreviation(6)).daemon(true)
                .unstarted(this::loop);
    }

    /** Adds a link (before {@link #start}); the node receives from it and sends on it. */
    public MeshNode addLink(Link link) {
        return addLink(link, List.of());
    }

    /** Adds a link with peers that get its broadcasts by unicast ({@link MeshEngine#addStaticPeer}). */
    public MeshNode addLink(Link link, List<LinkAddress> staticPeers) {
        int iface = engine.addInterface(link.info().broadcast());
        staticPeers.forEach(p -> engine.addStaticPeer(iface, p));
        links.add(link);
        link.start(new Sink(iface));
        return this;
    }

    public MeshNode addListener(MeshEngine.Listener l) {
        listeners.add(l);
        return this;
    }

    public MeshNode start() {
        thread.start();
        return this;
    }

    public Sid sid() {
        return engine.sid();
    }

    /** Runs {@code fn} on the engine thread with the engine and the current time; the result completes later. */
    public <T> CompletableFuture<T> call(Function<Long, T> fn) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                f.complete(fn.apply(System.nanoTime()));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        };
        if (!inbox.offer(task)) {
            f.completeExceptionally(new MdpException("the node is overloaded; try again"));
        }
        return f;
    }

    /** The engine, for calls made through {@link #call} only (it is single-threaded). */
    public MeshEngine engine() {
        return engine;
    }

    private record Inbound(int iface, LinkAddress from, byte[] data) {
    }

    private void loop() {
        Output out = new Output();
        long wake = System.nanoTime();
        while (running) {
            try {
                long now = System.nanoTime();
                if (now >= wake) {
                    wake = engine.poll(now, out);
                    continue;
                }
                Object item = inbox.poll(wake - now, TimeUnit.NANOSECONDS);
                if (item == null) {
                    continue;
                }
                now = System.nanoTime();
                if (item instanceof Inbound in) {
                    engine.receive(in.iface, in.from, MemorySegment.ofArray(in.data), 0, in.data.length, now);
                } else if (item instanceof Runnable r) {
                    r.run();
                }
                wake = Math.min(wake, engine.poll(now, out));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                engine.registry().counter("mdp.engine.loop_error").increment();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        links.forEach(Link::close);
    }

    private final class Output implements MeshEngine.Output {
        @Override
        public void unicast(int iface, LinkAddress to, MemorySegment packet, long offset, int length) {
            links.get(iface).send(to, packet, offset, length);
        }

        @Override
        public void broadcast(int iface, MemorySegment packet, long offset, int length) {
            links.get(iface).broadcast(packet, offset, length);
        }
    }

    /** Copies each received frame off the link's thread. */
    private final class Sink implements FrameSink {
        private final int iface;
        private final ArraySlot slot = new ArraySlot(65536);

        Sink(int iface) {
            this.iface = iface;
        }

        @Override
        public FrameSlot claim() {
            return slot.clear();
        }

        @Override
        public void publish(FrameSlot s) {
            if (slot.full()) {
                byte[] data = java.util.Arrays.copyOf(slot.bytes(), slot.length());
                if (!inbox.offer(new Inbound(iface, slot.source(), data))) {
                    engine.registry().counter("mdp.engine.inbox_full").increment();
                }
            }
            slot.clear();
        }
    }
}
