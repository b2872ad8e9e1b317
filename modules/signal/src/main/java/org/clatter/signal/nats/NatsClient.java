package org.clatter.signal.nats;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A NATS core client: publish, subscribe by subject (wildcards allowed), a PING/PONG flush, and reconnection with
 * backoff (100 ms doubling to 2 s) after which every subscription is sent again. Messages published while
 * disconnected are dropped and counted: the signal engine re-announces, so the bus needs no buffering.
 *
 * <p>Protocol: the server opens with {@code INFO {json}}; we answer {@code CONNECT {json}} (echo off, so a host
 * never hears itself) and {@code PING}; then {@code SUB <subject> <sid>}, {@code UNSUB <sid>},
 * {@code PUB <subject> <n>\r\n<payload>\r\n}; the server sends {@code MSG <subject> <sid> [reply] <n>\r\n<payload>},
 * {@code PING} (we answer {@code PONG}), {@code +OK} and {@code -ERR '<text>'}.
 */
public final class NatsClient implements AutoCloseable {

    /** Receives messages on the client's reader thread. */
    @FunctionalInterface
    public interface Handler {
        void onMessage(String subject, byte[] payload);
    }

    private static final int MAX_CONTROL_LINE = 4096;

    private final String host;
    private final int port;
    private final String name;
    private final Handler handler;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> pongs = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread reader;
    private final Thread flusher;
    private boolean flushPending;
    private volatile Socket socket;
    private volatile OutputStream out;
    private volatile boolean closed;
    private volatile long maxPayload = 1024 * 1024;
    private volatile String lastError = "";
    private int nextSid = 1;

    private NatsClient(String host, int port, String name, Handler handler) {
        this.host = host;
        this.port = port;
        this.name = name;
        this.handler = handler;
        this.reader = Thread.ofVirtual().name("nats-reader-" + name).unstarted(this::readLoop);
        this.flusher = Thread.ofVirtual().name("nats-flusher-" + name).unstarted(this::flushLoop);
    }

    /** Publications are flushed by this thread, so a burst becomes one write instead of one per message. */
    private void flushLoop() {
        while (!closed) {
            LockSupport.park(this);
            writeLock.lock();
            try {
                OutputStream o = out;
                if (flushPending && o != null) {
                    o.flush();
                }
            } catch (IOException e) {
                lastError = String.valueOf(e.getMessage());
            } finally {
                flushPending = false;
                writeLock.unlock();
            }
        }
    }

    /**
     * Connects to {@code nats://host:port} and waits for the server to answer a PING.
     *
     * @throws IOException if the server cannot be reached or refuses the connection
     */
    public static NatsClient connect(String url, String name, Handler handler) throws IOException {
        URI uri = URI.create(url);
        if (!"nats".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("NATS URL must look like nats://host:port, got " + url);
        }
        NatsClient c = new NatsClient(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 4222, name, handler);
        c.open();
        c.reader.start();
        c.flusher.start();
        try {
            c.flush(5000);
        } catch (TimeoutException e) {
            c.close();
            throw new IOException("NATS server " + url + " did not answer PING within 5 s");
        }
        return c;
    }

    public void publish(String subject, byte[] payload) {
        if (payload.length > maxPayload) {
            dropped.incrementAndGet();
            return;
        }
        byte[] head = ("PUB " + subject + " " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        writeLock.lock();
        try {
            OutputStream o = out;
            if (o == null) {
                dropped.incrementAndGet();
                return;
            }
            o.write(head);
            o.write(payload);
            o.write('\r');
            o.write('\n');
            if (!flushPending) {
                flushPending = true;
                LockSupport.unpark(flusher);
            }
        } catch (IOException e) {
            dropped.incrementAndGet();
        } finally {
            writeLock.unlock();
        }
    }

    public void subscribe(String subject) {
        writeLock.lock();
        try {
            if (subscriptions.containsKey(subject)) {
                return;
            }
            int sid = nextSid++;
            subscriptions.put(subject, sid);
            writeLine("SUB " + subject + " " + sid);
        } finally {
            writeLock.unlock();
        }
    }

    public void unsubscribe(String subject) {
        writeLock.lock();
        try {
            Integer sid = subscriptions.remove(subject);
            if (sid != null) {
                writeLine("UNSUB " + sid);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends PING and waits for the PONG: everything written before has been processed by the server. */
    public void flush(long timeoutMillis) throws TimeoutException {
        CompletableFuture<Void> f = new CompletableFuture<>();
        writeLock.lock();
        try {
            pongs.add(f);
            writeLine("PING");
        } finally {
            writeLock.unlock();
        }
        try {
            f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new TimeoutException("connection lost before PONG");
        }
    }

    public long dropped() {
        return dropped.get();
    }

    public long errors() {
        return errors.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public String lastError() {
        return lastError;
    }

    public boolean isConnected() {
        return out != null && !closed;
    }

    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        reader.interrupt();
        LockSupport.unpark(flusher);
        for (CompletableFuture<Void> f; (f = pongs.poll()) != null; ) {
            f.completeExceptionally(new IOException("closed"));
        }
    }

    // ------------------------------------------------------------------ connection

    private InputStream in;

    private void open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5000);
        InputStream i = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        String info = readLine(i);
        if (!info.startsWith("INFO ")) {
            s.close();
            throw new IOException("not a NATS server at " + host + ":" + port + " (first line: " + info + ")");
        }
        parseInfo(info);
        OutputStream o = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        String connect = "CONNECT {\"verbose\":false,\"pedantic\":false,\"tls_required\":false,\"name\":\""
                + name.replace("\"", "") + "\",\"lang\":\"java\",\"version\":\"0.1.0\",\"protocol\":1,"
                + "\"echo\":false,\"headers\":false}\r\n";
        writeLock.lock();
        try {
            o.write(connect.getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, Integer> e : subscriptions.entrySet()) {
                o.write(("SUB " + e.getKey() + " " + e.getValue() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            o.flush();
            socket = s;
            in = i;
            out = o;
        } finally {
            writeLock.unlock();
        }
    }

    private void parseInfo(String info) {
        int k = info.indexOf("\"max_payload\":");
        if (k >= 0) {
            int p = k + 14;
            int e = p;
            while (e < info.length() && Character.isDigit(info.charAt(e))) {
                e++;
            }
            if (e > p) {
                maxPayload = Long.parseLong(info.substring(p, e));
            }
        }
    }

    private void readLoop() {
        long backoff = 100;
        while (!closed) {
            try {
                readMessages(in);
            } catch (IOException | RuntimeException e) {
                lastError = String.valueOf(e.getMessage());
            }
            writeLock.lock();
            try {
                out = null;
            } finally {
                writeLock.unlock();
            }
            for (CompletableFuture<Void> f; (f = pongs.poll()) != null; ) {
                f.completeExceptionally(new IOException("disconnected"));
            }
            while (!closed) {
                try {
                    Thread.sleep(backoff);
                    open();
                    reconnects.incrementAndGet();
                    backoff = 100;
                    break;
                } catch (IOException e) {
                    backoff = Math.min(backoff * 2, 2000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void readMessages(InputStream i) throws IOException {
        while (!closed) {
            String line = readLine(i);
            if (line.startsWith("MSG ")) {
                String[] t = line.split(" ");
                if (t.length != 4 && t.length != 5) {
                    throw new IOException("malformed MSG line: " + line);
                }
                int n = Integer.parseInt(t[t.length - 1]);
                if (n < 0 || n > maxPayload) {
                    throw new IOException("MSG payload size " + n + " out of bounds");
                }
                byte[] payload = i.readNBytes(n);
                if (payload.length != n || i.read() != '\r' || i.read() != '\n') {
                    throw new EOFException("truncated MSG payload");
                }
                try {
                    handler.onMessage(t[1], payload);
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                }
            } else if (line.equals("PING")) {
                writeLock.lock();
                try {
                    writeLine("PONG");
                } finally {
                    writeLock.unlock();
                }
            } else if (line.equals("PONG")) {
                CompletableFuture<Void> f = pongs.poll();
                if (f != null) {
                    f.complete(null);
                }
            } else if (line.startsWith("-ERR")) {
                errors.incrementAndGet();
                lastError = line;
            } else if (line.startsWith("INFO ")) {
                parseInfo(line);
            } else if (!line.equals("+OK")) {
                throw new IOException("unexpected NATS line: " + line);
            }
        }
    }

    private void writeLine(String line) {
        OutputStream o = out;
        if (o == null) {
            return;
        }
        try {
            o.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
        } catch (IOException e) {
            lastError = String.valueOf(e.getMessage());
        }
    }

    private static String readLine(InputStream i) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int c = i.read();
            if (c < 0) {
                throw new EOFException("NATS connection closed");
            }
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_CONTROL_LINE) {
                throw new IOException("NATS control line longer than " + MAX_CONTROL_LINE);
            }
            sb.append((char) c);
        }
    }
}
