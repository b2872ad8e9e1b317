package org.clatter.msp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A test handler: sends its queue with back-pressure, records what arrives and how the stream ended. */
class Peer implements MspHandler {
    final List<byte[]> toSend;
    final List<byte[]> received = new ArrayList<>();
    final boolean sendOnlyAfterRemoteShutdown;
    final long[] clock;
    int next;
    boolean started;
    int closedCount;
    int errorCount;
    int remoteShutdownCount;
    int writableCount;
    MspCloseReason reason;
    MspConnection connection;
    long closedAt = -1;

    Peer(List<byte[]> toSend, boolean sendOnlyAfterRemoteShutdown, long[] clock) {
        this.toSend = toSend;
        this.sendOnlyAfterRemoteShutdown = sendOnlyAfterRemoteShutdown;
        this.clock = clock;
    }

    void start(MspConnection c) {
        connection = c;
        started = true;
        pump(c);
    }

    void pump(MspConnection c) {
        while (next < toSend.size()) {
            int r = c.send(toSend.get(next));
            if (r != MspConnection.SENT) {
                return;
            }
            next++;
        }
        if (!c.isShutdownLocal()) {
            c.shutdown();
        }
    }

    @Override
    public void onData(MspConnection c, byte[] buf, int off, int len) {
        received.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void onWritable(MspConnection c) {
        writableCount++;
        if (started) {
            pump(c);
        }
    }

    @Override
    public void onRemoteShutdown(MspConnection c) {
        remoteShutdownCount++;
        if (sendOnlyAfterRemoteShutdown && !started) {
            start(c);
        }
    }

    @Override
    public void onError(MspConnection c, MspException error) {
        errorCount++;
    }

    @Override
    public void onClosed(MspConnection c, MspCloseReason r) {
        closedCount++;
        reason = r;
        closedAt = clock[0];
    }

    static boolean sameMessages(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
