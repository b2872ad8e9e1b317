package org.clatter.signal.engine;

/**
 * Timers of the swarm engine, in nanoseconds.
 *
 * @param announceTtlNanos  how long a PeerAvailable is valid ({@code until = now + ttl}); design default 600 s
 * @param reannounceNanos   how often a local member is announced again, well inside the TTL
 * @param graceNanos        how long a dropped client's memberships and inbox are kept for it to come back
 * @param hashKeys          put hashed swarm and peer keys on the shared bus instead of the raw keys
 * @param network           the name mixed into those hashes (one bus may carry several separate networks)
 */
public record EngineConfig(long announceTtlNanos, long reannounceNanos, long graceNanos, boolean hashKeys,
                           String network) {
    public static final long SECOND = 1_000_000_000L;

    /** The DXOS design's 600 s announcement timeout, re-announced at a third of it, a 120 s grace period. */
    public static EngineConfig defaults() {
        return new EngineConfig(600 * SECOND, 200 * SECOND, 120 * SECOND, true, "clatter");
    }

    public EngineConfig {
        if (announceTtlNanos <= 0 || reannounceNanos <= 0 || graceNanos < 0) {
            throw new IllegalArgumentException("signal timers must be positive (grace may be 0)");
        }
        if (reannounceNanos >= announceTtlNanos) {
            throw new IllegalArgumentException("the re-announce interval (" + reannounceNanos / 1_000_000
                    + " ms) must be shorter than the announcement TTL (" + announceTtlNanos / 1_000_000 + " ms)");
        }
    }
}
