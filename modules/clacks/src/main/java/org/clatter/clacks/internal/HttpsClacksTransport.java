package org.clatter.clacks.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.clatter.clacks.ClacksTransport;
import org.clatter.clacks.PeerAddress;

/**
 * clacks-p2p's outgoing request (spec section 1): {@code POST /} over HTTPS/1.1 with {@code Content-Type:
 * application/json}, a byte-correct {@code Content-Length} and a per-request timeout (clacks-p2p has none).
 */
public final class HttpsClacksTransport implements ClacksTransport {
    private final HttpClient client;
    private final ExecutorService executor;
    private final Duration timeout;
    private volatile boolean closed;

    public HttpsClacksTransport(SSLContext ssl, Duration timeout) {
        this.timeout = timeout;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("clacks-https-client-", 0).factory());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                .connectTimeout(timeout).executor(executor).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void send(PeerAddress peer, byte[] body, Completion done) {
        if (closed) {
            done.completed(UNREACHABLE);
            return;
        }
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create("https://" + peer.authority() + "/")).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            done.completed(UNREACHABLE);
            return;
        }
        client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (err == null) {
                done.completed(resp.statusCode());
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            done.completed(cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)
                    ? TIMEOUT : NETWORK_ERROR);
        });
    }

    @Override
    public void close() {
        closed = true;
        client.shutdownNow();
        executor.shutdownNow();
    }
}
