package org.clatter.mdp.node;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.mdp.engine.MeshEngine.Security;

/**
 * An MDP ping as servald's {@code mdp ping}: 12-byte echo requests ({@code u32le seq || u64le tx time ms}) from an
 * ephemeral port to port 7, crypted to a SID or signed to broadcast; each echo reply is reported with its
 * round-trip time. Engine-thread only (open and send inside {@link MdpNode#call}).
 */
public final class Ping implements AutoCloseable {
    /** One echo reply. */
    public record Reply(Sid from, int seq, long rttNanos, Security security) {
    }

    private final MdpSocket socket;
    private final Map<Integer, Long> sentAt = new HashMap<>();
    private int sent;

    private Ping(MdpSockets sockets, Consumer<Reply> onReply) {
        this.socket = sockets.bind(0, d -> {
            if (d.fromPort() != MeshEngine.PORT_ECHO || d.data().length < 12) {
                return;
            }
            int seq = ByteBuffer.wrap(d.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            Long at = sentAt.get(seq);
            if (at != null) {
                onReply.accept(new Reply(d.from(), seq, d.nanos() - at, d.security()));
            }
        });
    }

    /** Binds an ephemeral port on {@code sockets}; replies go to {@code onReply} on the engine thread. */
    public static Ping open(MdpSockets sockets, Consumer<Reply> onReply) {
        return new Ping(sockets, onReply);
    }

    /**
     * Sends request {@code seq} to {@code to} ({@link Sid#BROADCAST}: a signed broadcast answered by every node).
     *
     * @return false when there is no route to {@code to}
     */
    public boolean send(Sid to, int seq, long nowNanos) {
        byte[] p = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(seq)
                .putLong(System.currentTimeMillis()).array();
        sentAt.put(seq, nowNanos);
        sent++;
        if (to.isBroadcast()) {
            socket.broadcast(MeshEngine.PORT_ECHO, Security.SIGNED, p, 31);
            return true;
        }
        return socket.send(to, MeshEngine.PORT_ECHO, Security.CRYPTED, p);
    }

    public int sent() {
        return sent;
    }

    public long port() {
        return socket.port();
    }

    @Override
    public void close() {
        socket.close();
    }
}
