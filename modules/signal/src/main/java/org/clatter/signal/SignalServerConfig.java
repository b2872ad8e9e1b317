package org.clatter.signal;

import java.time.Duration;
import java.util.Optional;

import org.clatter.core.time.Clock;
import org.clatter.core.time.SystemClock;

/**
 * Everything a {@link SignalServer} can be told. Start from {@link #defaults()} and change with the
 * {@code with*} methods. Defaults follow DXOS (600 s announcement TTL) and keep the stock client working:
 * authentication and rate limits are off; frame and payload caps are on.
 *
 * @param bindAddress       address to listen on (default 127.0.0.1)
 * @param port              TCP port, 0 for any free one
 * @param natsUrl           {@code nats://host:port} to cluster over; empty = one embedded server
 * @param announceTtl       PeerAvailable validity ({@code until}); DXOS design: 600 s
 * @param reannounce        re-announcement interval, shorter than the TTL (default 200 s)
 * @param grace             how long a dropped client's memberships wait for it (default 120 s)
 * @param hashKeys          hash swarm and peer keys before they go on the bus (default on; all hosts must agree)
 * @param network           network name mixed into those hashes
 * @param maxFrameBytes     largest WebSocket message accepted, else close 1009 (default 1 MiB)
 * @param maxPayloadBytes   largest {@code Message.payload} relayed, else {@code PAYLOAD_TOO_LARGE} (default 256 KiB)
 * @param connectionRate    SendMessage/Join calls per second per connection, 0 = unlimited (default)
 * @param keyRate           SendMessage calls per second per author key, 0 = unlimited (default)
 * @param maxSwarmsPerConnection Join streams per connection, 0 = unlimited (default)
 * @param requireProof      peers must prove their key (Ed25519 challenge) before Join/Receive/Send (default off)
 * @param pingInterval      server pings a silent client this often (default 30 s)
 * @param idleTimeout       closes a client silent this long (default 90 s)
 * @param sendQueueFrames   frames queued per connection before it counts as too slow and is closed
 * @param clock             time source
 */
public record SignalServerConfig(String bindAddress, int port, Optional<String> natsUrl, Duration announceTtl,
                                 Duration reannounce, Duration grace, boolean hashKeys, String network,
                                 int maxFrameBytes, int maxPayloadBytes, double connectionRate, double keyRate,
                                 int maxSwarmsPerConnection, boolean requireProof, Duration pingInterval,
                                 Duration idleTimeout, int sendQueueFrames, Clock clock) {

    public static SignalServerConfig defaults() {
        return new SignalServerConfig("127.0.0.1", 0, Optional.empty(), Duration.ofSeconds(600),
                Duration.ofSeconds(200), Duration.ofSeconds(120), true, "clatter", 1 << 20, 256 * 1024, 0, 0, 0,
                false, Duration.ofSeconds(30), Duration.ofSeconds(90), 1024, SystemClock.INSTANCE);
    }

    public SignalServerConfig withBind(String address, int port) {
        return new SignalServerConfig(address, port, natsUrl, announceTtl, reannounce, grace, hashKeys, network,
                maxFrameBytes, maxPayloadBytes, connectionRate, keyRate, maxSwarmsPerConnection, requireProof,
                pingInterval, idleTimeout, sendQueueFrames, clock);
    }

    public SignalServerConfig withNats(String url) {
        return new SignalServerConfig(bindAddress, port, Optional.of(url), announceTtl, reannounce, grace, hashKeys,
                network, maxFrameBytes, maxPayloadBytes, connectionRate, keyRate, maxSwarmsPerConnection,
                requireProof, pingInterval, idleTimeout, sendQueueFrames, clock);
    }

    public SignalServerConfig withTimers(Duration ttl, Duration reannounceEvery, Duration gracePeriod) {
        return new SignalServerConfig(bindAddress, port, natsUrl, ttl, reannounceEvery, gracePeriod, hashKeys,
                network, maxFrameBytes, maxPayloadBytes, connectionRate, keyRate, maxSwarmsPerConnection,
                requireProof, pingInterval, idleTimeout, sendQueueFrames, clock);
    }

    public SignalServerConfig withLimits(int maxFrame, int maxPayload, double perConnectionRate, double perKeyRate,
                                         int maxSwarms) {
        return new SignalServerConfig(bindAddress, port, natsUrl, announceTtl, reannounce, grace, hashKeys, network,
                maxFrame, maxPayload, perConnectionRate, perKeyRate, maxSwarms, requireProof, pingInterval,
                idleTimeout, sendQueueFrames, clock);
    }

    public SignalServerConfig withRequireProof(boolean require) {
        return new SignalServerConfig(bindAddress, port, natsUrl, announceTtl, reannounce, grace, hashKeys, network,
                maxFrameBytes, maxPayloadBytes, connectionRate, keyRate, maxSwarmsPerConnection, require,
                pingInterval, idleTimeout, sendQueueFrames, clock);
    }

    public SignalServerConfig withHashKeys(boolean hash, String networkName) {
        return new SignalServerConfig(bindAddress, port, natsUrl, announceTtl, reannounce, grace, hash, networkName,
                maxFrameBytes, maxPayloadBytes, connectionRate, keyRate, maxSwarmsPerConnection, requireProof,
                pingInterval, idleTimeout, sendQueueFrames, clock);
    }

    public SignalServerConfig withKeepAlive(Duration ping, Duration idle) {
        return new SignalServerConfig(bindAddress, port, natsUrl, announceTtl, reannounce, grace, hashKeys, network,
                maxFrameBytes, maxPayloadBytes, connectionRate, keyRate, maxSwarmsPerConnection, requireProof, ping,
                idle, sendQueueFrames, clock);
    }
}
