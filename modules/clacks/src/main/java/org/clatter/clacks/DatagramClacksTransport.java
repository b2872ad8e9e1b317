package org.clatter.clacks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Clacks over a datagram service (the mesh): a request is {@code 'Q' token(8) body}, its answer
 * {@code 'A' token(8) status(2)}; the same statuses as over HTTPS. Requests whose answer does not come back within
 * the timeout complete as {@link #TIMEOUT} (the engine re-queues their messages). Bodies must fit one
 * datagram; larger ones complete as {@link #TOO_LARGE} at once (the peer is not blamed, the message is re-queued).
 *
 * <pre>{@code
 * DatagramClacksTransport mesh = new DatagramClacksTransport(mdpDatagrams, Duration.ofSeconds(10));
 * ClacksNode node = ClacksNode.create(options, mesh);
 * mesh.bind(node);      // inbound requests go to node.receive(...)
 * node.start();
 * }</pre>
 */
public final class DatagramClacksTransport implements ClacksTransport {
    private static final byte REQUEST = 'Q';
    private static final byte ANSWER = 'A';
    private static final int HEADER = 9;

    private final ClacksDatagrams datagrams;
    private final long timeoutNanos;
    private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
    private volatile ClacksNode node;
    private long nextToken = 1;
    private volatile boolean closed;

    private record Pending(Completion done, long deadline) {
    }

    public DatagramClacksTransport(ClacksDatagrams datagrams, java.time.Duration timeout) {
        this.datagrams = datagrams;
        this.timeoutNanos = timeout.toNanos();
        datagrams.onDatagram(this::received);
    }

    /** Delivers inbound requests to {@code node}. */
    public DatagramClacksTransport bind(ClacksNode node) {
        this.node = node;
        return this;
    }

    @Override
    public void send(PeerAddress peer, byte[] body, Completion done) {
        if (closed) {
            done.completed(UNREACHABLE);
            return;
        }
        if (body.length + HEADER > datagrams.maxDatagram()) {
            done.completed(TOO_LARGE);
            return;
        }
        long token;
        List<Completion> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (pending) {
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.deadline - now > 0) {
                    break;
                }
                it.remove();
                expired.add(p.done);
            }
            token = nextToken++;
            pending.put(token, new Pending(done, now + timeoutNanos));
        }
        for (Completion c : expired) {
            c.completed(TIMEOUT);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + body.length);
        b.put(REQUEST).putLong(token).put(body);
        if (!datagrams.send(peer, b.array())) {
            Pending p;
            synchronized (pending) {
                p = pending.remove(token);
            }
            if (p != null) {
                done.completed(UNREACHABLE);
            }
        }
    }

    private void received(PeerAddress from, byte[] d) {
        if (d.length < HEADER || closed) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(d);
        byte kind = b.get();
        long token = b.getLong();
        if (kind == REQUEST) {
            ClacksNode n = node;
            int status = n == null ? 503 : n.receive(d, HEADER, d.length - HEADER);
            ByteBuffer a = ByteBuffer.allocate(HEADER + 2);
            a.put(ANSWER).putLong(token).putShort((short) status);
            datagrams.send(from, a.array());
        } else if (kind == ANSWER && d.length >= HEADER + 2) {
            Pending p;
            synchronized (pending) {
                p = pending.remove(token);
            }
            if (p != null) {
                p.done.completed(b.getShort() & 0xFFFF);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Map<Long, Pending> left;
        synchronized (pending) {
            left = new LinkedHashMap<>(pending);
            pending.clear();
        }
        left.values().forEach(p -> p.done.completed(UNREACHABLE));
    }
}
