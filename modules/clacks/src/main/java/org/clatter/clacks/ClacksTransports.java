package org.clatter.clacks;

import java.util.function.Predicate;
import org.clatter.clacks.internal.HttpsClacksTransport;
import org.clatter.clacks.internal.Tls;

/** Ready-made {@link ClacksTransport}s: HTTPS as clacks-p2p speaks it, and a router for bridging nodes. */
public final class ClacksTransports {
    private ClacksTransports() {
    }

    /** The HTTPS client transport a node uses by default (trusting {@code options.trust()} or the system store). */
    public static ClacksTransport https(ClacksOptions options) {
        return new HttpsClacksTransport(Tls.clientContext(options.trust()), options.requestTimeout());
    }

    /**
     * Sends to peers whose hostname starts with {@code hostnamePrefix} (e.g. {@code "sid-"} for mesh peers) through
     * {@code matching}, to every other peer through {@code otherwise}: one node bridges HTTPS and mesh peers.
     */
    public static ClacksTransport route(String hostnamePrefix, ClacksTransport matching, ClacksTransport otherwise) {
        Predicate<PeerAddress> m = p -> p.hostname().startsWith(hostnamePrefix);
        return new ClacksTransport() {
            @Override
            public void send(PeerAddress peer, byte[] body, Completion done) {
                (m.test(peer) ? matching : otherwise).send(peer, body, done);
            }

            @Override
            public void close() {
                try {
                    matching.close();
                } finally {
                    otherwise.close();
                }
            }
        };
    }
}
