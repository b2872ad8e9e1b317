package org.clatter.clacks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a {@link ClacksNode} is configured with. Build with {@link #builder()}; every bound has a default
 * and a limit is never "unlimited".
 *
 * @param hostname         the name advertised in {@code sender} (default {@code localhost}); must be one peers can
 *                         resolve and their TLS can verify
 * @param bindAddress      the address the HTTPS server binds (default: {@code hostname} resolved), never all
 *                         interfaces unless asked for with {@code 0.0.0.0}
 * @param port             listen port, also advertised; 0 picks a free port (clacks-p2p cannot)
 * @param sendrate         send ticks per second (clacks-p2p: one message per tick); above 1000 several messages go
 *                         per 1 ms tick
 * @param killTimeout      a lost peer that fails again after this long becomes dead (clacks-p2p: 1 h)
 * @param requestTimeout   a send unanswered for this long fails and its message is re-queued
 * @param maxQueue         messages queued or in flight; beyond it enqueue answers QUEUE_FULL and requests 503
 * @param maxPeers         peer-table entries; when full, the oldest dead (then lost) peer makes room
 * @param maxInFlight      requests in flight from this node
 * @param maxInFlightPerPeer requests in flight to one alive peer (new, lost and dead peers get one)
 * @param maxBodyBytes     largest request body accepted (413 beyond)
 * @param maxDepth         deepest JSON nesting accepted
 * @param maxMessageBytes  largest message (as ASCII JSON) queued or sent; keep it under 16 KiB for clacks-p2p
 * @param newPeerShare     probability that a tick probes a new peer while alive peers exist (clacks-p2p: always)
 * @param deadRetry        a dead peer is tried at most once per this interval
 * @param hopLimit         hops a message originated here may travel among Clatter nodes; 0 disables ids/hops
 * @param seenIds          message ids remembered for de-duplication
 * @param sign             sign originated messages with Ed25519 (needs a crypto provider, else the node refuses
 *                         to start)
 * @param requireSignatures refuse (400) messages without a valid signature
 * @param tlsCertificate   PEM certificate chain for the HTTPS server
 * @param tlsKey           PEM PKCS#8 private key for the HTTPS server
 * @param trust            a PEM certificate to trust for outgoing HTTPS instead of the system store
 * @param seed             seeds peer selection and ids (for reproducible tests); empty: random
 * @param peers            peers added at start
 */
public record ClacksOptions(String hostname, Optional<String> bindAddress, int port, double sendrate,
                            Duration killTimeout, Duration requestTimeout, int maxQueue, int maxPeers,
                            int maxInFlight, int maxInFlightPerPeer, int maxBodyBytes, int maxDepth,
                            int maxMessageBytes, double newPeerShare, Duration deadRetry, int hopLimit, int seenIds,
                            boolean sign, boolean requireSignatures, Optional<Path> tlsCertificate,
                            Optional<Path> tlsKey, Optional<Path> trust, Optional<Long> seed,
                            List<PeerAddress> peers) {

    public ClacksOptions {
        peers = List.copyOf(peers);
        if (!PeerAddress.validHostname(hostname)) {
            throw new ClacksException("hostname '" + hostname + "' is not valid; use an IP address or DNS name");
        }
        if (port < 0 || port > 65535) {
            throw new ClacksException("port " + port + " is out of range; use 0-65535 (0 picks a free port)");
        }
        if (!(sendrate > 0) || sendrate > 1_000_000) {
            throw new ClacksException("sendrate " + sendrate + " must be above 0 and at most 1000000 per second");
        }
        positive("maxQueue", maxQueue);
        positive("maxPeers", maxPeers);
        positive("maxInFlight", maxInFlight);
        positive("maxInFlightPerPeer", maxInFlightPerPeer);
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxMessageBytes", maxMessageBytes);
        positive("seenIds", seenIds);
        if (maxDepth < 2 || maxDepth > 1000) {
            throw new ClacksException("maxDepth " + maxDepth + " must be 2-1000 (the payload itself is depth 2)");
        }
        if (!(newPeerShare >= 0 && newPeerShare <= 1)) {
            throw new ClacksException("newPeerShare must be between 0 and 1");
        }
        if (hopLimit < 0 || hopLimit > 255) {
            throw new ClacksException("hopLimit must be 0-255 (0 sends no ids or hop counts)");
        }
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new ClacksException("give both --tls-cert and --tls-key (PEM files), or neither");
        }
        if (killTimeout.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero() || deadRetry.isNegative()) {
            throw new ClacksException("timeouts must be positive durations");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new ClacksException(name + " must be at least 1, got " + v);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with the defaults documented on {@link ClacksOptions}. */
    public static final class Builder {
        private String hostname = "localhost";
        private Optional<String> bindAddress = Optional.empty();
        private int port = 8080;
        private double sendrate = 1;
        private Duration killTimeout = Duration.ofHours(1);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxQueue = 100_000;
        private int maxPeers = 1024;
        private int maxInFlight = 64;
        private int maxInFlightPerPeer = 8;
        private int maxBodyBytes = 64 * 1024;
        private int maxDepth = 32;
        private int maxMessageBytes = 15 * 1024;
        private double newPeerShare = 0.5;
        private Duration deadRetry = Duration.ofSeconds(30);
        private int hopLimit = 16;
        private int seenIds = 65_536;
        private boolean sign;
        private boolean requireSignatures;
        private Optional<Path> tlsCertificate = Optional.empty();
        private Optional<Path> tlsKey = Optional.empty();
        private Optional<Path> trust = Optional.empty();
        private Optional<Long> seed = Optional.empty();
        private final List<PeerAddress> peers = new ArrayList<>();

        public Builder hostname(String v) { hostname = v; return this; }
        public Builder bindAddress(String v) { bindAddress = Optional.of(v); return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder sendrate(double v) { sendrate = v; return this; }
        public Builder killTimeout(Duration v) { killTimeout = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder maxQueue(int v) { maxQueue = v; return this; }
        public Builder maxPeers(int v) { maxPeers = v; return this; }
        public Builder maxInFlight(int v) { maxInFlight = v; return this; }
        public Builder maxInFlightPerPeer(int v) { maxInFlightPerPeer = v; return this; }
        public Builder maxBodyBytes(int v) { maxBodyBytes = v; return this; }
        public Builder maxDepth(int v) { maxDepth = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder newPeerShare(double v) { newPeerShare = v; return this; }
        public Builder deadRetry(Duration v) { deadRetry = v; return this; }
        public Builder hopLimit(int v) { hopLimit = v; return this; }
        public Builder seenIds(int v) { seenIds = v; return this; }
        public Builder sign(boolean v) { sign = v; return this; }
        public Builder requireSignatures(boolean v) { requireSignatures = v; return this; }
        public Builder tls(Path certificate, Path key) { tlsCertificate = Optional.of(certificate); tlsKey = Optional.of(key); return this; }
        public Builder trust(Path certificate) { trust = Optional.of(certificate); return this; }
        public Builder seed(long v) { seed = Optional.of(v); return this; }
        public Builder peer(PeerAddress v) { peers.add(v); return this; }

        public ClacksOptions build() {
            return new ClacksOptions(hostname, bindAddress, port, sendrate, killTimeout, requestTimeout, maxQueue,
                    maxPeers, maxInFlight, maxInFlightPerPeer, maxBodyBytes, maxDepth, maxMessageBytes, newPeerShare,
                    deadRetry, hopLimit, seenIds, sign, requireSignatures, tlsCertificate, tlsKey, trust, seed, peers);
        }
    }
}
