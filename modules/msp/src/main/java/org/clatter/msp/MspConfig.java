package org.clatter.msp;

import java.util.concurrent.TimeUnit;

/**
 * MSP engine settings. Defaults are servald's (spec {@code serval-rhizome-sync.md} §10): window 4, retransmit
 * 1500 ms, keep-alive ack 1500 ms, timeout 10 000 ms, first transmission 10 ms after connect, messages up to
 * 1024 bytes; plus Clatter's extension (on by default, only ever used when the peer is Clatter too): a window of
 * 256 packets in flight with selective acks and an adaptive retransmission timer.
 */
public final class MspConfig {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int servaldWindow;
    private final int extendedWindow;
    private final boolean extensions;
    private final long retransmitNanos;
    private final long keepAliveNanos;
    private final long timeoutNanos;
    private final long connectDelayNanos;
    private final long minRtoNanos;
    private final long lingerNanos;
    private final long tombstoneNanos;
    private final int maxMessageSize;

    private MspConfig(int servaldWindow, int extendedWindow, boolean extensions, long retransmitNanos,
                      long keepAliveNanos, long timeoutNanos, long connectDelayNanos, long minRtoNanos,
                      long lingerNanos, long tombstoneNanos, int maxMessageSize) {
        this.servaldWindow = servaldWindow;
        this.extendedWindow = extendedWindow;
        this.extensions = extensions;
        this.retransmitNanos = retransmitNanos;
        this.keepAliveNanos = keepAliveNanos;
        this.timeoutNanos = timeoutNanos;
        this.connectDelayNanos = connectDelayNanos;
        this.minRtoNanos = minRtoNanos;
        this.lingerNanos = lingerNanos;
        this.tombstoneNanos = tombstoneNanos;
        this.maxMessageSize = maxMessageSize;
    }

    /** servald's values plus the Clatter extension. */
    public static MspConfig defaults() {
        return new MspConfig(4, 256, true, 1500 * MS, 1500 * MS, 10_000 * MS, 10 * MS, 5 * MS,
                10_000 * MS, 1500 * MS, 1024);
    }

    /** Exactly servald's behaviour: window 4, fixed 1500 ms retransmission, no extension announced. */
    public static MspConfig servaldOnly() {
        return defaults().withExtensions(false);
    }

    public MspConfig withExtensions(boolean on) {
        return new MspConfig(servaldWindow, extendedWindow, on, retransmitNanos, keepAliveNanos, timeoutNanos,
                connectDelayNanos, minRtoNanos, lingerNanos, tombstoneNanos, maxMessageSize);
    }

    /** Window (packets in flight) used with a Clatter peer; 4..4096. */
    public MspConfig withExtendedWindow(int packets) {
        if (packets < 4 || packets > 4096) {
            throw new MspException("the extended window must be 4..4096 packets (16-bit seqs); got " + packets);
        }
        return new MspConfig(servaldWindow, packets, extensions, retransmitNanos, keepAliveNanos, timeoutNanos,
                connectDelayNanos, minRtoNanos, lingerNanos, tombstoneNanos, maxMessageSize);
    }

    /** Silence after which a connection fails (servald: 10 s). */
    public MspConfig withTimeout(long nanos) {
        positive("timeout", nanos);
        return new MspConfig(servaldWindow, extendedWindow, extensions, retransmitNanos, keepAliveNanos, nanos,
                connectDelayNanos, minRtoNanos, lingerNanos, tombstoneNanos, maxMessageSize);
    }

    /** How long {@link MspConnection#close()} waits for the peer's shutdown before stopping. */
    public MspConfig withLinger(long nanos) {
        positive("linger", nanos);
        return new MspConfig(servaldWindow, extendedWindow, extensions, retransmitNanos, keepAliveNanos,
                timeoutNanos, connectDelayNanos, minRtoNanos, nanos, tombstoneNanos, maxMessageSize);
    }

    /**
     * How long a closed connection is remembered so that late duplicates of its first packet are answered with
     * STOP instead of opening a phantom connection (0 turns it off).
     */
    public MspConfig withTombstone(long nanos) {
        return new MspConfig(servaldWindow, extendedWindow, extensions, retransmitNanos, keepAliveNanos,
                timeoutNanos, connectDelayNanos, minRtoNanos, lingerNanos, Math.max(0, nanos), maxMessageSize);
    }

    /** Largest message {@link MspConnection#send} accepts (servald's senders use 1024). */
    public MspConfig withMaxMessageSize(int bytes) {
        if (bytes < 1 || bytes > 65_535) {
            throw new MspException("maximum message size must be 1..65535 bytes; got " + bytes);
        }
        return new MspConfig(servaldWindow, extendedWindow, extensions, retransmitNanos, keepAliveNanos,
                timeoutNanos, connectDelayNanos, minRtoNanos, lingerNanos, tombstoneNanos, bytes);
    }

    /** Lower bound of the adaptive retransmission timer in extended mode. */
    public MspConfig withMinRto(long nanos) {
        positive("minimum RTO", nanos);
        return new MspConfig(servaldWindow, extendedWindow, extensions, retransmitNanos, keepAliveNanos,
                timeoutNanos, connectDelayNanos, nanos, lingerNanos, tombstoneNanos, maxMessageSize);
    }

    private static void positive(String what, long nanos) {
        if (nanos <= 0) {
            throw new MspException(what + " must be positive; got " + nanos + " ns");
        }
    }

    public int servaldWindow() {
        return servaldWindow;
    }

    public int extendedWindow() {
        return extendedWindow;
    }

    public boolean extensions() {
        return extensions;
    }

    public long retransmitNanos() {
        return retransmitNanos;
    }

    public long keepAliveNanos() {
        return keepAliveNanos;
    }

    public long timeoutNanos() {
        return timeoutNanos;
    }

    public long connectDelayNanos() {
        return connectDelayNanos;
    }

    public long minRtoNanos() {
        return minRtoNanos;
    }

    /** Lower bound of the retransmission timer toward a servald peer (gentler than between Clatter peers). */
    public long servaldMinRtoNanos() {
        return 200 * MS;
    }

    public long lingerNanos() {
        return lingerNanos;
    }

    public long tombstoneNanos() {
        return tombstoneNanos;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }
}
