package org.clatter.tools.bench.msp;

import org.clatter.msp.MspCloseReason;
import org.clatter.msp.MspConnection;
import org.clatter.msp.MspException;
import org.clatter.msp.MspHandler;

/**
 * Both ends of a measured stream: the sender writes numbered messages of a fixed size while the window allows; the
 * receiver checks that every message arrives once, in order, whole (the benchmark's own correctness check).
 */
final class Pump implements MspHandler {
    final byte[] message;
    final long total;
    long sent;
    long received;
    long receivedBytes;
    long doneAtNanos = -1;
    String failure;
    MspCloseReason closed;

    Pump(int size, long total) {
        this.message = new byte[size];
        this.total = total;
    }

    /** Sender side: queue messages until back-pressure. */
    void fill(MspConnection c) {
        while (sent < total) {
            long v = sent;
            for (int i = 0; i < 8; i++) {
                message[i] = (byte) (v >>> (8 * i));
            }
            message[message.length - 1] = (byte) ~v;
            int r = c.send(message);
            if (r != MspConnection.SENT) {
                return;
            }
            sent++;
        }
    }

    @Override
    public void onData(MspConnection c, byte[] buf, int off, int len) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (buf[off + i] & 0xFFL) << (8 * i);
        }
        if (len != message.length || v != received || buf[off + len - 1] != (byte) ~v) {
            failure = "message " + received + ": got #" + v + " of " + len + " bytes";
        }
        received++;
        receivedBytes += len;
    }

    @Override
    public void onWritable(MspConnection c) {
        fill(c);
    }

    @Override
    public void onError(MspConnection c, MspException error) {
        failure = error.getMessage();
    }

    @Override
    public void onClosed(MspConnection c, MspCloseReason reason) {
        closed = reason;
    }
}
