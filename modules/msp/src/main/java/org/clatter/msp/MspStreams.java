package org.clatter.msp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.clatter.core.time.Scheduler;

/**
 * Blocking {@link InputStream}/{@link OutputStream} adapters over one connection, for applications that just want
 * bytes. Use it as the connection's handler, then {@link #attach} the connection:
 *
 * <pre>{@code
 *   MspStreams s = new MspStreams(scheduler);
 *   s.attach(engine.connect(local, remote, s));
 *   s.outputStream().write(bytes); s.outputStream().close();   // close = shutdown (half-close)
 *   s.inputStream().readAllBytes();                            // until the peer shuts down
 * }</pre>
 *
 * <p>The engine runs on {@code scheduler}'s thread (automatic mode); the streams are used from other threads and
 * hand their work over with {@link Scheduler#execute}, which must therefore accept calls from any thread (a
 * real-time node scheduler; not {@link org.clatter.core.time.VirtualScheduler}). Writes are cut into messages of
 * the connection's maximum size; {@link OutputStream#flush()} sends a partial one. Reads block; when more than
 * {@code inboundLimit} bytes are waiting unread, delivery is paused, which holds the peer back.
 */
public final class MspStreams implements MspHandler {
    private static final int MAX_PENDING_MESSAGES = 64;

    private final Scheduler scheduler;
    private final int inboundLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();
    /** One drain request in flight at a time: a writer thread queues many messages per engine-thread hop. */
    private final java.util.concurrent.atomic.AtomicBoolean drainPending = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drain = () -> {
        drainPending.set(false);
        drainOutbound();
    };
    private final Runnable resume = this::resumeOnEngine;
    private MspConnection connection;
    private int inboundBytes;
    private boolean paused;
    private boolean eof;
    private boolean closed;
    private MspCloseReason reason;
    private String error;
    private final Input input = new Input();
    private final Output output = new Output();

    /** Streams with a 1 MiB inbound buffer. */
    public MspStreams(Scheduler scheduler) {
        this(scheduler, 1 << 20);
    }

    public MspStreams(Scheduler scheduler, int inboundLimit) {
        this.scheduler = scheduler;
        this.inboundLimit = inboundLimit;
    }

    /** Binds the streams to the connection this object is the handler of. */
    public MspStreams attach(MspConnection c) {
        lock.lock();
        try {
            this.connection = c;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return this;
    }

    public InputStream inputStream() {
        return input;
    }

    public OutputStream outputStream() {
        return output;
    }

    /** How the connection ended, once it has. */
    public java.util.Optional<MspCloseReason> closeReason() {
        lock.lock();
        try {
            return java.util.Optional.ofNullable(reason);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ handler (engine thread)

    @Override
    public void onData(MspConnection c, byte[] buf, int off, int len) {
        lock.lock();
        try {
            inbound.add(Arrays.copyOfRange(buf, off, off + len));
            inboundBytes += len;
            if (inboundBytes > inboundLimit && !paused) {
                paused = true;
                c.pauseReceiving();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onWritable(MspConnection c) {
        drainOutbound();
    }

    @Override
    public void onRemoteShutdown(MspConnection c) {
        lock.lock();
        try {
            eof = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onClosed(MspConnection c, MspCloseReason r) {
        lock.lock();
        try {
            closed = true;
            reason = r;
            if (r.isError()) {
                error = "MSP stream to " + c.remote() + " ended: " + r;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void drainOutbound() {
        MspConnection c = connection;
        if (c == null) {
            return;
        }
        lock.lock();
        try {
            while (!outbound.isEmpty()) {
                byte[] m = outbound.peek();
                if (m.length == 0) {
                    c.shutdown();
                    outbound.poll();
                    continue;
                }
                int r = c.send(m);
                if (r == MspConnection.BACK_PRESSURED) {
                    break;
                }
                outbound.poll();
                if (r != MspConnection.SENT) {
                    outbound.clear();
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void resumeOnEngine() {
        MspConnection c = connection;
        if (c != null) {
            c.resumeReceiving();
        }
    }

    // ------------------------------------------------------------ streams (application threads)

    private void awaitChange() throws InterruptedIOException {
        try {
            changed.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the MSP stream");
        }
    }

    private final class Input extends InputStream {
        private byte[] current;
        private int pos;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (current == null || pos == current.length) {
                    current = inbound.poll();
                    pos = 0;
                    if (current != null) {
                        inboundBytes -= current.length;
                        if (paused && inboundBytes <= inboundLimit / 2) {
                            paused = false;
                            scheduler.execute(resume);
                        }
                        continue;
                    }
                    if (eof) {
                        return -1;
                    }
                    if (closed) {
                        if (error != null) {
                            throw new IOException(error);
                        }
                        return -1;
                    }
                    awaitChange();
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return (current == null ? 0 : current.length - pos) + inboundBytes;
            } finally {
                lock.unlock();
            }
        }
    }

    private final class Output extends OutputStream {
        private byte[] chunk;
        private int fill;
        private boolean shut;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int max = maxMessage();
                if (chunk == null) {
                    chunk = new byte[max];
                }
                int n = Math.min(len, max - fill);
                System.arraycopy(b, off, chunk, fill, n);
                fill += n;
                off += n;
                len -= n;
                if (fill == max) {
                    flush();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            if (fill > 0) {
                enqueue(Arrays.copyOf(chunk, fill));
                fill = 0;
            }
        }

        /** Flushes, then shuts this direction down (half-close); the input stream keeps working. */
        @Override
        public void close() throws IOException {
            if (shut) {
                return;
            }
            flush();
            shut = true;
            enqueue(new byte[0]);
        }

        private int maxMessage() throws IOException {
            lock.lock();
            try {
                while (connection == null) {
                    awaitChange();
                }
                return connection.maxMessageSize();
            } finally {
                lock.unlock();
            }
        }

        private void enqueue(byte[] message) throws IOException {
            if (shut && message.length > 0) {
                throw new IOException("the MSP output stream is closed (shut down)");
            }
            lock.lock();
            try {
                while (outbound.size() >= MAX_PENDING_MESSAGES && !closed) {
                    awaitChange();
                }
                if (closed) {
                    throw new IOException(error != null ? error : "the MSP stream is closed");
                }
                outbound.add(message);
            } finally {
                lock.unlock();
            }
            if (drainPending.compareAndSet(false, true)) {
                scheduler.execute(drain);
            }
        }
    }
}
