package org.clatter.signal.ws;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sending half of one server-side WebSocket: a bounded queue drained by its own virtual thread, so the
 * engine never blocks on a slow client. A client that lets the queue fill is closed (1008), not waited for.
 */
public final class WsConnection {
    private static final byte[] POISON = new byte[0];

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<byte[]> queue;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread writer;
    private volatile boolean overflowed;

    public WsConnection(Socket socket, int queueFrames) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 4096);
        this.queue = new ArrayBlockingQueue<>(queueFrames);
        this.writer = Thread.ofVirtual().name("signal-ws-writer").start(this::drain);
    }

    /** Queues one binary message. False if the connection is closing or its queue is full (it is then closed). */
    public boolean sendBinary(byte[] payload) {
        return enqueue(Ws.frame(Ws.BINARY, payload));
    }

    /** Queues a raw frame (for pong and tests). */
    public boolean enqueue(byte[] frame) {
        if (closing.get()) {
            return false;
        }
        if (!queue.offer(frame)) {
            overflowed = true;
            close(Ws.CLOSE_POLICY, "send queue full: client too slow");
            return false;
        }
        return true;
    }

    public boolean overflowed() {
        return overflowed;
    }

    /** Sends a close frame after what is queued and then shuts the output down. Idempotent. */
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            byte[] frame = Ws.frame(Ws.CLOSE, Ws.closePayload(code, reason));
            if (!queue.offer(frame)) {
                queue.clear();
                queue.offer(frame);
            }
            queue.offer(POISON);
        }
    }

    /** Closes the socket at once (no close handshake). */
    public void abort() {
        closing.set(true);
        queue.clear();
        queue.offer(POISON);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    public boolean isClosing() {
        return closing.get();
    }

    /** Waits up to {@code millis} for the writer to finish. */
    public void awaitWriter(long millis) throws InterruptedException {
        writer.join(millis);
    }

    private void drain() {
        try {
            while (true) {
                byte[] f = queue.poll(1, TimeUnit.HOURS);
                if (f == null) {
                    continue;
                }
                if (f == POISON) {
                    out.flush();
                    socket.shutdownOutput();
                    return;
                }
                out.write(f);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
