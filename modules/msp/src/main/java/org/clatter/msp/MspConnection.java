package org.clatter.msp;

import java.util.Optional;

import static org.clatter.msp.codec.MspHeader.ACK;
import static org.clatter.msp.codec.MspHeader.CLATTER;
import static org.clatter.msp.codec.MspHeader.FIRST;
import static org.clatter.msp.codec.MspHeader.KIND_DATA;
import static org.clatter.msp.codec.MspHeader.KIND_EMPTY;
import static org.clatter.msp.codec.MspHeader.KIND_SACK;
import static org.clatter.msp.codec.MspHeader.KIND_STOP;
import static org.clatter.msp.codec.MspHeader.MAX_SACK_RANGES;
import static org.clatter.msp.codec.MspHeader.SHUTDOWN;
import static org.clatter.msp.codec.MspHeader.compareSeq;

import org.clatter.msp.codec.MspHeader;

/**
 * One MSP stream between a local and a remote SID+port. All methods run on the engine's thread.
 *
 * <p>Sending is message-oriented: each {@link #send} is one MSP data packet and arrives as one
 * {@link MspHandler#onData} call. With a servald peer at most 4 packets are unacknowledged (servald's window);
 * with a Clatter peer (both sides announce the extension bit) the window is {@link MspConfig#extendedWindow()} and
 * losses are repaired from selective acks. A full window is reported as {@link #BACK_PRESSURED}, followed by
 * {@link MspHandler#onWritable} once there is room.
 */
public final class MspConnection {
    /** {@link #send} result: queued for transmission. */
    public static final int SENT = 0;
    /** {@link #send} result: the window is full; wait for {@link MspHandler#onWritable}. */
    public static final int BACK_PRESSURED = -1;
    /** {@link #send} result: this side has shut down its direction. */
    public static final int SHUT_DOWN = -2;
    /** {@link #send} result: the connection is closed. */
    public static final int CLOSED = -3;

    static final long NEVER = Long.MAX_VALUE;
    private static final long NOT_SENT = Long.MIN_VALUE;
    /** Extended mode: an in-order data packet is acked after this delay unless a second one arrives first. */
    static final long ACK_DELAY_NANOS = 1_000_000L;
    /** Extended mode: the reorder window never shrinks below this (a clock tick on a real network). */
    static final long MIN_REORDER_NANOS = 250_000L;
    /** Extended mode: most the reorder window grows to (in quarters of the minimum RTT). */
    private static final int MAX_REORDER_MULT = 16;
    /** Extended mode: most SACK packets one acknowledgement pass sends (16 runs each). */
    private static final int MAX_SACK_PACKETS = 4;
    /** Extended mode: a run is listed with priority in this many SACKs (a lost SACK must not hide it). */
    private static final int SACK_REPEATS = 3;

    private final MspEngine engine;
    private final MspConfig cfg;
    private final MspAddress local;
    private final MspAddress remote;
    private final boolean outgoing;
    private final int mask;
    private final int slotSize;
    MspHandler handler;

    private final byte[][] txData;
    private final int[] txLen;
    private final byte[] txFlags;
    private final long[] txSentAt;
    private final int[] txSends;
    private final boolean[] txSacked;
    /** Extended mode: detected lost (by RACK or the RTO), waiting for its retransmission. */
    private final boolean[] txLost;
    /** Transmission order of each slot's latest transmission (RACK's "sent after", exact within one instant). */
    private final long[] txOrder;
    /** When the sender first knew a packet sent after this transmission had arrived (NOT_SENT: not yet). */
    private final long[] txEvidenceAt;
    private int txBase;
    private int txCount;
    private int window;
    private int txSackedCount;
    private long txStamp;
    // RACK (RFC 8985 style) state, extended mode: the latest-sent packet known delivered and its round trip.
    private long rackOrder = -1;
    private long rackRtt;
    private long minRtt;
    private int reorderMult = 1;
    private long reorderSeen;
    private int lossesSinceSpurious;
    // Extended mode's single retransmission timer: restarted on progress (new data acked or selectively acked).
    private long rtoBase;
    private int rtoBackoff;

    private final byte[][] rxData;
    private final int[] rxLen;
    private final byte[] rxFlags;
    private final boolean[] rxHave;
    /** Extended mode: how many SACKs listed this buffered packet (up to {@link #SACK_REPEATS}). */
    private final byte[] rxReported;
    private int rxNext;
    private int rxBuffered;

    private boolean receivedPacket;
    private boolean receivedData;
    private boolean peerClatter;
    private boolean ackNeeded;
    private boolean sackNeeded;
    private boolean localShutdown;
    private boolean remoteShutdown;
    private boolean closing;
    private boolean paused;
    private boolean writableWanted;
    private boolean closed;
    private MspCloseReason closeReason;
    private int lastAckSent = -1;
    private int rxUnacked;
    private final PacketRate arrivalRate = new PacketRate(false);
    private final PacketRate departureRate = new PacketRate(true);
    private long ackDueAt = NEVER;
    private long startAt;
    private long nextAckAt;
    private long timeoutAt;
    private long lingerAt = NEVER;
    private long srtt;
    private long rttvar;
    long nextWake;

    private final int[] sackFirst = new int[MAX_SACK_RANGES];
    private final int[] sackLast = new int[MAX_SACK_RANGES];

    MspConnection(MspEngine engine, MspConfig cfg, MspAddress local, MspAddress remote, boolean outgoing,
                  int slotSize, long now) {
        this.engine = engine;
        this.cfg = cfg;
        this.local = local;
        this.remote = remote;
        this.outgoing = outgoing;
        this.slotSize = slotSize;
        int maxWindow = cfg.extensions() ? Math.max(cfg.extendedWindow(), cfg.servaldWindow()) : cfg.servaldWindow();
        // Four times the window: with selective acks, packets the peer already holds stop counting against the
        // window, so new data keeps flowing while a hole is repaired (about two round trips, three when the repair
        // is lost too, at a full window).
        int cap = Integer.highestOneBit(maxWindow) << (cfg.extensions() ? 2 : 1);
        this.mask = cap - 1;
        txData = new byte[cap][];
        txLen = new int[cap];
        txFlags = new byte[cap];
        txSentAt = new long[cap];
        txSends = new int[cap];
        txSacked = new boolean[cap];
        txLost = new boolean[cap];
        txOrder = new long[cap];
        txEvidenceAt = new long[cap];
        rxData = new byte[cap][];
        rxLen = new int[cap];
        rxFlags = new byte[cap];
        rxHave = new boolean[cap];
        rxReported = new byte[cap];
        window = cfg.servaldWindow();
        startAt = outgoing ? now + cfg.connectDelayNanos() : now;
        // servald: a new stream's first packet goes out after the connect delay even with nothing to send.
        nextAckAt = outgoing ? startAt : now + cfg.keepAliveNanos();
        timeoutAt = now + cfg.timeoutNanos();
        nextWake = outgoing ? startAt : now;
    }

    // ---------------------------------------------------------------- public API

    /**
     * Queues one message (copied). Never blocks.
     *
     * @return {@link #SENT}, {@link #BACK_PRESSURED}, {@link #SHUT_DOWN} or {@link #CLOSED}
     * @throws MspException for a zero-length message (MSP cannot carry one: an empty data packet is a no-op to
     *                      servald) or one longer than {@link #maxMessageSize()}
     */
    public int send(byte[] buf, int off, int len) {
        if (len == 0) {
            throw new MspException("MSP cannot carry a zero-length message (servald treats an empty data packet as "
                    + "a no-op); send at least one byte, or call shutdown() to end this direction");
        }
        if (len < 0 || len > slotSize) {
            throw new MspException("message of " + len + " bytes: MSP messages are 1.." + slotSize
                    + " bytes; split larger data into several messages");
        }
        if (closed) {
            return CLOSED;
        }
        if (localShutdown) {
            return SHUT_DOWN;
        }
        if (!windowOpen()) {
            writableWanted = true;
            engine.counters.sendBackPressured++;
            return BACK_PRESSURED;
        }
        int s = (txBase + txCount) & mask;
        byte[] slot = txData[s];
        if (slot == null) {
            slot = txData[s] = new byte[slotSize];
        }
        System.arraycopy(buf, off, slot, 0, len);
        txLen[s] = len;
        txFlags[s] = 0;
        txSentAt[s] = NOT_SENT;
        txSends[s] = 0;
        txSacked[s] = false;
        txLost[s] = false;
        txCount++;
        engine.wake(this);
        return SENT;
    }

    /** {@link #send(byte[], int, int)} of a whole array. */
    public int send(byte[] message) {
        return send(message, 0, message.length);
    }

    /** True if a {@link #send} now would be accepted. */
    public boolean canSend() {
        return !closed && !localShutdown && windowOpen();
    }

    /**
     * servald mode: fewer than {@code window} packets unacknowledged. Extended mode: fewer than {@code window} in
     * flight (unacknowledged and not selectively acknowledged), and room in the ring (one slot kept for SHUTDOWN).
     */
    private boolean windowOpen() {
        if (!isExtended()) {
            return txCount < window;
        }
        return txCount - txSackedCount < window && txCount < mask;
    }

    /**
     * Half-close: no more data from this side (the peer is told with SHUTDOWN after the queued data); data from the
     * peer keeps arriving. Idempotent.
     */
    public void shutdown() {
        if (closed || localShutdown) {
            return;
        }
        localShutdown = true;
        int last = (txBase + txCount - 1) & mask;
        if (txCount > 0 && txSentAt[last] == NOT_SENT) {
            txFlags[last] |= SHUTDOWN;
        } else {
            int s = (txBase + txCount) & mask;
            txLen[s] = 0;
            txFlags[s] = SHUTDOWN;
            txSentAt[s] = NOT_SENT;
            txSends[s] = 0;
            txSacked[s] = false;
            txLost[s] = false;
            txCount++;
        }
        engine.wake(this);
    }

    /**
     * Graceful close: shuts this direction down and discards further incoming data; the connection ends
     * ({@link MspCloseReason#NORMAL}) once the peer has shut down too and everything is acknowledged, or with
     * {@link MspCloseReason#LINGER_EXPIRED} (and a STOP) after {@link MspConfig#lingerNanos()}. Idempotent.
     */
    public void close() {
        if (closed || closing) {
            return;
        }
        closing = true;
        lingerAt = engine.now() + cfg.lingerNanos();
        shutdown();
        engine.wake(this);
    }

    /** Abort: sends STOP and ends the connection at once ({@link MspCloseReason#STOPPED_LOCALLY}). */
    public void stop() {
        if (closed) {
            return;
        }
        engine.sendStop(local, remote);
        finish(MspCloseReason.STOPPED_LOCALLY, null);
    }

    /** Stops delivering data; unacknowledged data then holds the peer back (flow control). */
    public void pauseReceiving() {
        paused = true;
    }

    /** Resumes delivery after {@link #pauseReceiving()}. */
    public void resumeReceiving() {
        if (paused) {
            paused = false;
            engine.wake(this);
        }
    }

    /** Replaces the handler (for example the one a listener returned). */
    public void handler(MspHandler newHandler) {
        if (newHandler == null) {
            throw new MspException("an MSP connection needs a handler");
        }
        this.handler = newHandler;
    }

    public MspAddress local() {
        return local;
    }

    public MspAddress remote() {
        return remote;
    }

    /** True for a connection this side opened with {@link MspEngine#connect}. */
    public boolean isOutgoing() {
        return outgoing;
    }

    /** True once any packet has arrived from the peer (servald's "connected"). */
    public boolean isConnected() {
        return receivedPacket;
    }

    /** True once both ends announced Clatter's extension: large window and selective acks are in use. */
    public boolean isExtended() {
        return peerClatter && cfg.extensions();
    }

    public boolean isShutdownLocal() {
        return localShutdown;
    }

    public boolean isShutdownRemote() {
        return remoteShutdown;
    }

    public boolean isClosed() {
        return closed;
    }

    public Optional<MspCloseReason> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    /** Packets this side may have unacknowledged (4 toward servald). */
    public int window() {
        return window;
    }

    /** Packets queued or unacknowledged. */
    public int inFlight() {
        return txCount;
    }

    /** Largest message {@link #send} accepts. */
    public int maxMessageSize() {
        return slotSize;
    }

    /** Smoothed round-trip time in nanoseconds, or 0 before the first sample. */
    public long smoothedRttNanos() {
        return srtt;
    }

    @Override
    public String toString() {
        int sacked = 0;
        for (int i = 0; i < txCount; i++) {
            sacked += txSacked[(txBase + i) & mask] ? 1 : 0;
        }
        return "MspConnection[" + local + " -> " + remote + (closed ? " closed " + closeReason : "")
                + (isExtended() ? " extended" : "") + " tx " + txBase + "+" + txCount + " (" + sacked + " sacked)"
                + " rx " + rxNext + "+" + rxBuffered + (paused ? " paused" : "") + " srtt " + srtt / 1000 + "us]";
    }

    // ---------------------------------------------------------------- engine side

    /**
     * Whether this side's acks may ask for MDP's hop by hop repair: only while packets arrive slowly
     * ({@link PacketRate}); a new stream's acks count as fast until a whole window showed otherwise (a bulk transfer
     * is fast from its first packets). A slow stream (a radio link) keeps hop by hop repair of its acks.
     */
    private boolean slowStream() {
        return arrivalRate.slow();
    }

    /**
     * Whether this side's data (counting this packet) may ask for MDP's hop by hop repair (a lossy radio hop repairs
     * in 300 ms): only while it is sent slowly. A fast sender's data is repaired end to end within a few round trips,
     * and per-hop tracking of every packet costs more than it saves. A new stream's data counts as slow; MDP never
     * resends a frame 8,192 frames old, so the first packets of a fast stream cannot come back late.
     */
    private boolean slowSender(long now) {
        departureRate.count(now);
        return departureRate.slow();
    }

    /** One incoming packet, already decoded into {@code h}. */
    void onPacket(long now, MspHeader h, byte[] buf) {
        arrivalRate.count(now);
        timeoutAt = now + cfg.timeoutNanos();
        receivedPacket = true;
        if (h.has(CLATTER) && cfg.extensions() && !peerClatter) {
            peerClatter = true;
            window = cfg.extendedWindow();
            rtoBase = now;
            writableWanted |= txCount > 0;
        }
        int kind = h.kind();
        if (kind == KIND_STOP) {
            if (h.has(ACK) && h.ack() != 0xFFFF) {
                releaseAcked(h.ack(), now);
            }
            onStop();
            return;
        }
        if (kind == KIND_EMPTY) {
            return;
        }
        if (h.has(ACK) && !(kind == KIND_DATA && isExtended() && staleData(h.seq()))) {
            releaseAcked(h.ack(), now);
        }
        if (kind == KIND_SACK) {
            applySack(h, now);
        }
        if (kind == KIND_DATA) {
            receiveData(h, buf, now);
        }
        nextWake = now;
        if (writableWanted && canSend() && handler != null) {
            writableWanted = false;
            handler.onWritable(this);
        }
    }

    private void onStop() {
        boolean onlyShutdownUnacked = true;
        for (int i = 0; i < txCount; i++) {
            if (txLen[(txBase + i) & mask] != 0) {
                onlyShutdownUnacked = false;
                break;
            }
        }
        // A peer that forgot a finished stream answers our last packets with STOP: that is a normal end.
        if (localShutdown && remoteShutdown && onlyShutdownUnacked && rxBuffered == 0) {
            finish(MspCloseReason.NORMAL, null);
        } else {
            finish(MspCloseReason.STOPPED_BY_PEER, "the peer " + remote + " aborted the stream (STOP)");
        }
    }

    private void releaseAcked(int ack, long now) {
        if (txCount == 0) {
            return;
        }
        int lastQueued = (txBase + txCount - 1) & 0xFFFF;
        if (compareSeq(ack, lastQueued) > 0) {
            engine.counters.ackBeyondSent++;
            return;
        }
        long sample = -1;
        boolean progress = false;
        while (txCount > 0 && compareSeq(txBase, ack) <= 0) {
            int s = txBase & mask;
            // Karn: only packets sent once; and only the newest released one (older ones may have waited
            // behind a hole, which would inflate the sample).
            sample = txSends[s] == 1 && !txSacked[s] && txSentAt[s] != NOT_SENT ? now - txSentAt[s] : -1;
            if (txSacked[s]) {
                txSacked[s] = false;
                txSackedCount--;
            } else {
                delivered(s, now);
            }
            txLost[s] = false;
            txBase = (txBase + 1) & 0xFFFF;
            txCount--;
            progress = true;
        }
        if (sample >= 0) {
            rttSample(sample);
        }
        if (progress) {
            rtoBase = now;
            rtoBackoff = 0;
        }
    }

    /**
     * Bookkeeping for one packet newly known to have arrived (cumulatively or selectively acked). A retransmitted
     * packet acked sooner than any round trip since its retransmission was delivered by its first transmission:
     * the loss detection was spurious (reordering), so the reorder window grows. Otherwise it advances RACK's
     * "latest sent packet delivered" and its round trip.
     */
    private void delivered(int s, long now) {
        long sent = txSentAt[s];
        if (sent == NOT_SENT) {
            return;
        }
        long rtt = now - sent;
        if (txLost[s] || (txSends[s] > 1 && minRtt > 0 && rtt < minRtt)) {
            // Declared lost but acked before (or too soon after) its retransmission.
            engine.counters.dataSpurious++;
            if (reorderMult < MAX_REORDER_MULT) {
                reorderMult++;
            }
            lossesSinceSpurious = 0;
            txLost[s] = false;
        }
        if (txSends[s] > 1 && (srtt == 0 || rtt < Math.max(minRtt, srtt / 2))) {
            // The ack may be for either transmission: a repair acked sooner than half a smoothed round trip was
            // most likely delivered by its first transmission. Taking such acks made every packet look lost at
            // once, before any RTT was measured or when the queue's delay far exceeded the minimum RTT.
            return;
        }
        if (txOrder[s] > rackOrder) {
            rackOrder = txOrder[s];
            rackRtt = rtt;
        } else if (txSends[s] == 1 && rtt - rackRtt > reorderSeen) {
            // Arrived after a packet sent later: reordering, by this much (seen before any spurious resend).
            reorderSeen = rtt - rackRtt;
        }
    }

    /**
     * How much later than a packet sent after it a packet may arrive before it counts as lost: a quarter of the
     * minimum RTT, times a multiplier that grows with every spurious retransmission (and shrinks again after 16
     * real losses), or 1.25 times the largest reordering seen (halved after 16 real losses), whichever is larger,
     * never above the smoothed RTT.
     */
    private long reorderWindow() {
        long base = (minRtt > 0 ? minRtt : srtt) / 4;
        long w = Math.max(base * reorderMult, reorderSeen + reorderSeen / 4);
        if (srtt > 0) {
            w = Math.min(w, srtt);
        }
        return Math.max(w, MIN_REORDER_NANOS);
    }

    private void rttSample(long sample) {
        if (sample > 0 && (minRtt == 0 || sample < minRtt)) {
            minRtt = sample;
        }
        if (srtt == 0) {
            srtt = Math.max(sample, 1);
            rttvar = sample / 2;
        } else {
            long err = sample - srtt;
            srtt += err / 8;
            rttvar += (Math.abs(err) - rttvar) / 4;
        }
    }

    private void applySack(MspHeader h, long now) {
        if (txCount == 0) {
            return;
        }
        int n = h.sackCount();
        boolean progress = false;
        for (int r = 0; r < n; r++) {
            int first = h.sackFirst(r);
            int last = h.sackLast(r);
            if (compareSeq(first, last) > 0 || compareSeq(last, txBase) < 0) {
                continue;
            }
            int from = compareSeq(first, txBase) < 0 ? 0 : (first - txBase) & 0xFFFF;
            int to = Math.min((last - txBase) & 0xFFFF, txCount - 1);
            for (int d = from; d <= to; d++) {
                int seq = (txBase + d) & 0xFFFF;
                int s = seq & mask;
                if (txSentAt[s] == NOT_SENT || txSacked[s]) {
                    continue;
                }
                txSacked[s] = true;
                txSackedCount++;
                progress = true;
                if (txSends[s] == 1) {
                    rttSample(now - txSentAt[s]);
                }
                delivered(s, now);
                txLost[s] = false;
            }
        }
        if (progress) {
            rtoBase = now;
            rtoBackoff = 0;
        }
    }

    /**
     * Whether a data packet with {@code seq} is one this side already has or is past (old, duplicate, or beyond the
     * window). Between Clatter peers its ack field is not trusted: it may be a copy MDP resent long after (data asks
     * for hop acks), whose ack is stale and, once a fast stream's seqs have wrapped, could release packets the peer
     * never had. A genuine resend's ack comes again with the next packet.
     */
    private boolean staleData(int seq) {
        int d = (seq - rxNext) & 0xFFFF;
        return d >= 0x8000 || d > mask || rxHave[seq & mask];
    }

    private void receiveData(MspHeader h, byte[] buf, long now) {
        receivedData = true;
        int seq = h.seq();
        int d = (seq - rxNext) & 0xFFFF;
        if (d >= 0x8000) {
            engine.counters.dataOld++;
            ackNeeded = true;
            return;
        }
        if (d > mask) {
            engine.counters.dataBeyondWindow++;
            return;
        }
        int s = seq & mask;
        if (rxHave[s]) {
            engine.counters.dataDuplicate++;
            ackNeeded = true;
            return;
        }
        int len = h.payloadLength();
        byte[] slot = rxData[s];
        if (slot == null || slot.length < len) {
            slot = rxData[s] = new byte[Math.max(len, slotSize)];
        }
        System.arraycopy(buf, h.payloadOffset(), slot, 0, len);
        rxLen[s] = len;
        rxFlags[s] = (byte) h.flags();
        rxHave[s] = true;
        rxReported[s] = 0;
        // News for the sender: a hole filled at the front, a new hole (the packet before this one is missing), or
        // two runs joined (the packet after this one is here). Extending the top run above a known hole is not.
        boolean news = d == 0 ? rxBuffered > 0 : !rxHave[(seq - 1) & mask] || rxHave[(seq + 1) & mask];
        rxBuffered++;
        deliver(true);
        if (!isExtended() || news || (h.flags() & SHUTDOWN) != 0) {
            // servald acks at the next processing after new data; Clatter does so on news about holes and when the
            // peer shuts down.
            ackNeeded = true;
            if (d != 0 && isExtended()) {
                sackNeeded = true;
            }
        } else if (++rxUnacked >= 2) {
            // Delayed acks between Clatter peers: every second packet (in order, or extending the top run above a
            // known hole), or after ACK_DELAY_NANOS. They go out at the next processing, which on a busy node comes
            // after the whole burst the node received at once (hundreds of packets): a burst of an eighth of the
            // window is acked at once instead, so the sender's window reopens while the rest is still being read.
            ackNeeded = true;
            if (rxUnacked >= Math.max(8, window >> 3)) {
                sendAck(now);
            }
        } else {
            ackDueAt = Math.min(ackDueAt, now + ACK_DELAY_NANOS);
        }
    }

    private void deliver(boolean receiving) {
        while (!paused && !closed) {
            int s = rxNext & mask;
            if (!rxHave[s]) {
                return;
            }
            rxHave[s] = false;
            rxReported[s] = 0;
            rxBuffered--;
            rxNext = (rxNext + 1) & 0xFFFF;
            if (!receiving) {
                ackNeeded = true; // delivered after a pause: tell the peer at once
            }
            int len = rxLen[s];
            if (len == 0) {
                if ((rxFlags[s] & SHUTDOWN) == 0) {
                    engine.counters.dataEmpty++;
                }
            } else if (closing || remoteShutdown) {
                engine.counters.dataDiscarded++;
            } else {
                engine.counters.messagesDelivered++;
                handler.onData(this, rxData[s], 0, len);
            }
            if ((rxFlags[s] & SHUTDOWN) != 0 && !remoteShutdown && !closed) {
                remoteShutdown = true;
                handler.onRemoteShutdown(this);
            }
        }
    }

    /** Timers, transmissions and the close check; returns when to be called again. */
    long service(long now) {
        if (closed) {
            return NEVER;
        }
        if (now >= timeoutAt) {
            finish(MspCloseReason.TIMEOUT, "nothing heard from " + remote + " for "
                    + cfg.timeoutNanos() / 1_000_000 + " ms: the peer is gone or unreachable");
            return NEVER;
        }
        if (closing && now >= lingerAt) {
            engine.sendStop(local, remote);
            finish(MspCloseReason.LINGER_EXPIRED, "close(): " + remote + " did not shut down its direction within "
                    + cfg.lingerNanos() / 1_000_000 + " ms; the stream was stopped");
            return NEVER;
        }
        deliver(false);
        if (closed) {
            return NEVER;
        }
        long next = Math.min(timeoutAt, lingerAt);
        if (now < startAt) {
            return Math.min(next, startAt);
        }
        next = isExtended() ? transmitExtended(now, next) : transmitServald(now, next);
        if (now >= ackDueAt) {
            ackNeeded = true;
        }
        if (ackNeeded || sackNeeded || now >= nextAckAt) {
            sendAck(now);
        }
        next = Math.min(next, Math.min(nextAckAt, ackDueAt));
        if (localShutdown && remoteShutdown && txCount == 0 && rxBuffered == 0
                && lastAckSent == ((rxNext - 1) & 0xFFFF)) {
            finish(MspCloseReason.NORMAL, null);
            return NEVER;
        }
        return next;
    }

    /**
     * servald mode: every packet has its own retransmission timer (the RTO, doubled per retry of that packet), as
     * servald's has; new packets go out at once.
     */
    private long transmitServald(long now, long next) {
        long rto = rto();
        for (int i = 0; i < txCount; i++) {
            int seq = (txBase + i) & 0xFFFF;
            int s = seq & mask;
            long sent = txSentAt[s];
            long backoff = Math.min(rto << Math.clamp(txSends[s] - 1, 0, 8), cfg.retransmitNanos());
            if (sent == NOT_SENT || now - sent >= backoff) {
                int r = transmitData(seq, s, now);
                if (r == MspDatagramLayer.BACK_PRESSURED) {
                    return Math.min(next, now + 1_000_000L);
                }
            }
            next = Math.min(next, txSentAt[s] + Math.min(rto << Math.clamp(txSends[s] - 1, 0, 8),
                    cfg.retransmitNanos()));
        }
        return next;
    }

    /**
     * Extended mode (Clatter peer, selective acks). Loss detection is time-based, as RACK's (RFC 8985): a packet is
     * lost once a packet sent after it has been (selectively) acknowledged and it is still missing a reorder window
     * after it would have arrived with that packet's round trip; merely reordered packets are not resent. One
     * retransmission timer for the whole stream (restarted on progress, backed off while there is none) resends
     * the oldest missing packet, which covers a lost tail and lost repairs. Lost packets go out first, then new
     * ones.
     */
    private long transmitExtended(long now, long next) {
        long reo = reorderWindow();
        int outstanding = 0;
        int oldest = -1;
        for (int i = 0; i < txCount; i++) {
            int s = (txBase + i) & mask;
            if (txSacked[s] || txSentAt[s] == NOT_SENT || txLost[s]) {
                continue;
            }
            if (txOrder[s] < rackOrder) {
                // ... and not before a reorder window after the news: a packet sent later, after a pause, may
                // have queued far less and so have a much shorter round trip than this one.
                if (txEvidenceAt[s] == NOT_SENT) {
                    txEvidenceAt[s] = now;
                }
                long lostAt = Math.max(txSentAt[s] + rackRtt, txEvidenceAt[s]) + reo;
                if (now >= lostAt) {
                    markLost(s);
                    continue;
                }
                next = Math.min(next, lostAt);
            }
            outstanding++;
            if (oldest < 0) {
                oldest = s;
            }
        }
        long rtoDelay = Math.min(rto() << Math.min(rtoBackoff, 8), cfg.retransmitNanos());
        if (outstanding > 0 && now >= rtoBase + rtoDelay) {
            engine.counters.rtoExpired++;
            markLost(oldest);
            rtoBackoff++;
            rtoBase = now;
            rtoDelay = Math.min(rto() << Math.min(rtoBackoff, 8), cfg.retransmitNanos());
            outstanding--;
        }
        for (int i = 0; i < txCount; i++) {
            int seq = (txBase + i) & 0xFFFF;
            int s = seq & mask;
            if (txSacked[s] || !(txLost[s] || txSentAt[s] == NOT_SENT)) {
                continue;
            }
            if (outstanding == 0) {
                rtoBase = now; // the timer starts with the first packet in flight
            }
            if (transmitData(seq, s, now) == MspDatagramLayer.BACK_PRESSURED) {
                next = Math.min(next, now + 1_000_000L);
                break;
            }
            txLost[s] = false;
            outstanding++;
        }
        if (outstanding > 0) {
            next = Math.min(next, rtoBase + rtoDelay);
        }
        return next;
    }

    private void markLost(int s) {
        txLost[s] = true;
        engine.counters.dataLost++;
        if (++lossesSinceSpurious >= 16) {
            reorderMult = Math.max(1, reorderMult - 1);
            reorderSeen /= 2;
            lossesSinceSpurious = 0;
        }
    }

    /**
     * Retransmission timeout: servald uses a fixed 1500 ms; Clatter adapts it to the measured round trip (bounded
     * by 1500 ms, doubled per retransmission of the same packet), toward any peer: when a packet is resent is the
     * sender's business, and servald ignores duplicates.
     */
    private long rto() {
        if (srtt == 0) {
            return cfg.retransmitNanos();
        }
        long floor = isExtended() ? cfg.minRtoNanos() : Math.max(cfg.minRtoNanos(), cfg.servaldMinRtoNanos());
        return Math.clamp(srtt + 4 * rttvar, floor, cfg.retransmitNanos());
    }

    private int ackFlags() {
        int f = 0;
        if (receivedData) {
            f |= ACK;
        }
        if (!receivedPacket) {
            f |= FIRST;
        }
        if (cfg.extensions()) {
            f |= CLATTER;
        }
        return f;
    }

    private int transmitData(int seq, int s, long now) {
        byte[] out = engine.out;
        int ack = (rxNext - 1) & 0xFFFF;
        MspHeader.writeDataHeader(out, 0, ackFlags() | txFlags[s], ack, seq);
        int len = txLen[s];
        if (len > 0) {
            System.arraycopy(txData[s], 0, out, MspHeader.PREAMBLE, len);
        }
        int r = engine.transmit(local, remote, out, MspHeader.PREAMBLE + len, slowSender(now));
        if (r == MspDatagramLayer.BACK_PRESSURED) {
            return r;
        }
        if (txSends[s] > 0) {
            engine.counters.dataRetransmitted++;
        }
        txSentAt[s] = now;
        txSends[s]++;
        txOrder[s] = ++txStamp;
        txEvidenceAt[s] = NOT_SENT;
        lastAckSent = ack;
        ackNeeded = false;
        rxUnacked = 0;
        ackDueAt = NEVER;
        nextAckAt = now + cfg.keepAliveNanos();
        return r;
    }

    private void sendAck(long now) {
        byte[] out = engine.out;
        int ack = (rxNext - 1) & 0xFFFF;
        int len;
        if (isExtended() && rxBuffered > 0) {
            // First the runs holding packets fewer than SACK_REPEATS SACKs listed, then the lowest others. More new runs than one
            // SACK carries go in further SACKs (up to MAX_SACK_PACKETS in all): the sender remembers every run it
            // heard of, and one it never heard of would look lost once a packet sent after it was acknowledged.
            int n = sackRuns(0, true);
            for (int extra = 1; n == MAX_SACK_RANGES && extra < MAX_SACK_PACKETS; extra++) {
                len = MspHeader.writeSack(out, 0, ackFlags(), ack, n, sackFirst, sackLast);
                if (engine.transmit(local, remote, out, len, slowStream()) == MspDatagramLayer.BACK_PRESSURED) {
                    return;
                }
                engine.counters.sacksSent++;
                n = sackRuns(0, true);
            }
            n = sackRuns(n, false);
            len = MspHeader.writeSack(out, 0, ackFlags(), ack, n, sackFirst, sackLast);
            engine.counters.sacksSent++;
        } else {
            len = MspHeader.writeAck(out, 0, ackFlags(), ack);
            engine.counters.acksSent++;
        }
        if (engine.transmit(local, remote, out, len, slowStream()) == MspDatagramLayer.BACK_PRESSURED) {
            return;
        }
        lastAckSent = ack;
        ackNeeded = false;
        sackNeeded = false;
        rxUnacked = 0;
        ackDueAt = NEVER;
        nextAckAt = now + cfg.keepAliveNanos();
    }

    /**
     * Appends to {@code sackFirst/sackLast} (from index {@code n}) runs of received packets above the cumulative
     * ack, lowest first: with {@code fresh} those holding a packet fewer than {@link #SACK_REPEATS} SACKs listed
     * (counting this one; a SACK may be lost),
     * otherwise those not already among the first {@code n}. Returns the new count (at most
     * {@link MspHeader#MAX_SACK_RANGES}).
     */
    private int sackRuns(int n, boolean fresh) {
        int listed = n;
        int runStart = -1;
        boolean unreported = false;
        for (int d = 1; d <= mask + 1 && n < MAX_SACK_RANGES; d++) {
            int s = (rxNext + d) & mask;
            boolean have = d <= mask && rxHave[s];
            if (have) {
                if (runStart < 0) {
                    runStart = d;
                    unreported = false;
                }
                unreported |= rxReported[s] < SACK_REPEATS;
            } else if (runStart >= 0) {
                int first = (rxNext + runStart) & 0xFFFF;
                if (fresh ? unreported : !listedAlready(first, listed)) {
                    sackFirst[n] = first;
                    sackLast[n++] = (rxNext + d - 1) & 0xFFFF;
                    for (int k = runStart; fresh && k < d; k++) {
                        int r = (rxNext + k) & mask;
                        rxReported[r] = (byte) Math.min(rxReported[r] + 1, SACK_REPEATS);
                    }
                }
                runStart = -1;
            }
        }
        return n;
    }

    private boolean listedAlready(int first, int listed) {
        for (int i = 0; i < listed; i++) {
            if (sackFirst[i] == first) {
                return true;
            }
        }
        return false;
    }

    /** The ack this side last sent (u16), or -1. */
    int lastAckSent() {
        return lastAckSent;
    }

    void finish(MspCloseReason reason, String message) {
        if (closed) {
            return;
        }
        closed = true;
        closeReason = reason;
        txCount = 0;
        txSackedCount = 0;
        nextWake = NEVER;
        engine.detach(this);
        if (handler == null) {
            return;
        }
        if (reason.isError()) {
            handler.onError(this, new MspException(message));
        }
        handler.onClosed(this, reason);
    }
}
