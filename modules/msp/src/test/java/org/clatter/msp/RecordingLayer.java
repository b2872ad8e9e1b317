package org.clatter.msp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A datagram layer that only records what the engine sends (for manual-mode, wire-level tests). */
final class RecordingLayer implements MspDatagramLayer {
    record Sent(MspAddress local, MspAddress remote, byte[] bytes) {
    }

    final MspAddress identity;
    final List<Sent> sent = new ArrayList<>();
    final List<MspAddress> bound = new ArrayList<>();
    int result = SENT;
    int nextPort = 300;

    RecordingLayer(MspAddress identity) {
        this.identity = identity;
    }

    @Override
    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len) {
        if (result == SENT) {
            sent.add(new Sent(local, remote, Arrays.copyOfRange(buf, off, off + len)));
        }
        return result;
    }

    /** What the engine said of each packet's late copies, in send order (see MspDatagramLayer). */
    final List<Boolean> lateCopySafe = new ArrayList<>();

    @Override
    public int send(MspAddress local, MspAddress remote, byte[] buf, int off, int len, boolean safe) {
        if (result == SENT) {
            lateCopySafe.add(safe);
        }
        return send(local, remote, buf, off, len);
    }

    @Override
    public int maxPacketSize() {
        return 1115;
    }

    @Override
    public MspAddress bind(MspAddress local) {
        MspAddress a = local.port() == 0 ? local.withPort(nextPort++) : local;
        bound.add(a);
        return a;
    }

    @Override
    public void unbind(MspAddress local) {
        bound.remove(local);
    }

    @Override
    public MspAddress primaryIdentity() {
        return identity;
    }

    byte[] last() {
        return sent.get(sent.size() - 1).bytes();
    }
}
