package org.clatter.signal;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.clatter.signal.codec.Any;

/** Records a {@link SignalClient}'s callbacks as strings: "available:<peer>", "left:<peer>", "msg:<from>:<hex>". */
final class RecordingListener implements SignalClient.Listener {
    private static final HexFormat HEX = HexFormat.of();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onPeerAvailable(byte[] swarm, byte[] peer) {
        events.add("available:" + HEX.formatHex(peer));
    }

    @Override
    public void onPeerLeft(byte[] swarm, byte[] peer) {
        events.add("left:" + HEX.formatHex(peer));
    }

    @Override
    public void onMessage(byte[] author, byte[] recipient, Any payload) {
        events.add("msg:" + HEX.formatHex(author) + ":" + HEX.formatHex(payload.value()));
    }

    @Override
    public void onConnection(boolean connected) {
        events.add(connected ? "connected" : "disconnected");
    }

    boolean saw(String e) {
        return events.contains(e);
    }

    void await(String e, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!events.contains(e)) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("no '" + e + "' within " + millis + " ms; events: " + events);
            }
            Thread.sleep(10);
        }
    }
}
