package org.clatter.clacks.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;

/**
 * The HTTPS server side of a node: the JDK {@link HttpsServer} bound to one address (clacks-p2p binds all
 * interfaces), {@code POST} only, bodies bounded before they are read, and a bounded number of requests in
 * progress (503 beyond). Each body goes to a {@link Handler} that answers with a status.
 */
public final class HttpsEndpoint implements AutoCloseable {

    /** Turns one request body into the status to answer. */
    @FunctionalInterface
    public interface Handler {
        int handle(byte[] body, int len);
    }

    /** Counters the endpoint keeps (read by the node). */
    public interface Counter {
        void count(String name);
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Semaphore permits;
    private final int maxBody;
    private final Handler handler;
    private final Counter counter;

    public HttpsEndpoint(InetSocketAddress bind, SSLContext ssl, int maxBody, int maxConcurrent, Handler handler,
                         Counter counter) throws IOException {
        this.maxBody = maxBody;
        this.handler = handler;
        this.counter = counter;
        this.permits = new Semaphore(maxConcurrent);
        this.server = HttpsServer.create(bind, 128);
        this.server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("clacks-https-server-", 0).factory());
        this.server.setExecutor(executor);
        this.server.createContext("/", this::exchange);
    }

    public void start() {
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void exchange(HttpExchange ex) throws IOException {
        try (ex) {
            if (!permits.tryAcquire()) {
                counter.count("requests.busy");
                close(ex, 503);
                return;
            }
            try {
                if (!"POST".equals(ex.getRequestMethod())) {
                    counter.count("requests.bad_method");
                    close(ex, 405);
                    return;
                }
                String cl = ex.getRequestHeaders().getFirst("Content-Length");
                if (cl != null) {
                    long declared;
                    try {
                        declared = Long.parseLong(cl.trim());
                    } catch (NumberFormatException e) {
                        declared = -1;
                    }
                    if (declared > maxBody) {
                        counter.count("requests.too_large");
                        close(ex, 413);
                        return;
                    }
                }
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(maxBody + 1);
                }
                if (body.length > maxBody) {
                    counter.count("requests.too_large");
                    close(ex, 413);
                    return;
                }
                int status;
                try {
                    status = handler.handle(body, body.length);
                } catch (RuntimeException e) {
                    counter.count("requests.internal_error");
                    status = 500;
                }
                reply(ex, status);
            } finally {
                permits.release();
            }
        }
    }

    /** Answers without having read the whole body, so the connection cannot be reused: close it. */
    private static void close(HttpExchange ex, int status) throws IOException {
        ex.getResponseHeaders().set("Connection", "close");
        ex.sendResponseHeaders(status, -1);
    }

    private static void reply(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
