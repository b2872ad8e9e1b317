package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.clatter.mdp.SharedFolder;
import org.clatter.mdp.tools.PcapReader;
import org.clatter.spi.transport.LinkAddress;
import org.junit.jupiter.api.Test;

/**
 * A flood of malformed, truncated, wrongly keyed (real servald traffic for other identities) and replayed packets
 * into the middle node of a line: all counted and dropped, nothing thrown, and pings across it keep flowing.
 */
class MeshEngineBadInputTest {
    static final long S = 1_000_000_000L;
    static final long SEED = Long.getLong("mdp.seed", 20261122L);

    /** Where the junk claims to come from. */
    record Attacker(String name) implements LinkAddress {
        @Override
        public String kind() {
            return "test";
        }

        @Override
        public byte[] toBytes() {
            return name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Test
    void junkIsCountedAndValidTrafficKeepsFlowing() {
        SimMesh m = new SimMesh(SEED);
        List<String> n = m.net.line(3);
        m.start();
        SimMesh.Node a = m.node(n.get(0));
        SimMesh.Node b = m.node(n.get(1));
        SimMesh.Node c = m.node(n.get(2));
        b.recording = true;
        m.run(10 * S);
        b.recording = false;
        List<byte[]> servald = new ArrayList<>();
        PcapReader pcap = PcapReader.of(SharedFolder.read("serval-overlay.pcap"));
        while (pcap.next()) {
            if (pcap.isUdp()) {
                servald.add(pcap.segment().asSlice(pcap.payloadOffset(), pcap.payloadLength())
                        .toArray(ValueLayout.JAVA_BYTE));
            }
        }
        List<byte[]> replay = List.copyOf(b.recorded);
        assertTrue(replay.size() > 20, "recorded valid traffic to replay");
        Random r = new Random(SEED);
        Attacker evil = new Attacker("evil");
        long errorsBefore = b.engine.counters().errors();
        int injected = 0;
        int pings = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 200; i++) {
                byte[] junk = switch (r.nextInt(4)) {
                    case 0 -> servald.get(r.nextInt(servald.size()));
                    case 1 -> replay.get(r.nextInt(replay.size()));
                    case 2 -> mutate(replay.get(r.nextInt(replay.size())), r);
                    default -> {
                        byte[] x = new byte[r.nextInt(1300)];
                        r.nextBytes(x);
                        yield x;
                    }
                };
                b.engine.receive(0, evil, MemorySegment.ofArray(junk), 0, junk.length, m.now());
                injected++;
            }
            byte[] ping = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(round).putLong(m.now())
                    .array();
            if (a.engine.send(c.sid(), MeshEngine.PORT_ECHO, 700, ping, 0, 12, m.now())) {
                pings++;
            }
            m.run(S / 4);
        }
        m.run(2 * S);
        assertEquals(20, pings, "routes held during the flood; seed " + SEED);
        long replies = a.received.stream().filter(x -> x.dstPort() == 700).count();
        assertEquals(20, replies, "every ping crossed the flooded node and came back; seed " + SEED);
        long dropped = b.engine.counters().errors() - errorsBefore + b.engine.event("duplicate_packet")
                + b.engine.event("duplicate_frame") + b.engine.event("not_for_us") + b.engine.event("own_packet")
                + b.engine.event("own_frame");
        assertTrue(dropped > injected / 4, "drops counted: " + dropped + " of " + injected + " injected; "
                + b.engine.counters().snapshot() + " " + b.engine.events());
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            if (r.nextBoolean()) {
                b[at] ^= (byte) (1 << r.nextInt(8));
            } else {
                b = java.util.Arrays.copyOf(b, at);
            }
        }
        return b;
    }
}
