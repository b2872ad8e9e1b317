package org.clatter.mdp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.codec.DecodeResult;
import org.clatter.mdp.codec.FrameFlyweight;
import org.clatter.mdp.codec.OverlayPacketFlyweight;
import org.clatter.transport.sim.LinkProfile;
import org.junit.jupiter.api.Test;

/** The class a frame is sent in reaches the wire, and pacing refuses nonsense with a message that says what to do. */
class QosEngineTest {
    static final long S = 1_000_000_000L;
    static final long SEED = Long.getLong("mdp.seed", 20261122L);

    @Test
    void eachClassIsWrittenInTheFramesQosFieldOpportunisticAsThree() {
        SimMesh m = new SimMesh(SEED);
        m.net.addNode("a").addNode("b").link("a", "b", LinkProfile.ideal());
        m.start().run(3 * S);
        SimMesh.Node a = m.node("a");
        SimMesh.Node b = m.node("b");
        b.recording = true;
        for (Qos q : Qos.values()) {
            byte[] data = new byte[100 * (q.ordinal() + 1)];
            assertTrue(a.engine.send(b.sid(), 4000, 4000, MeshEngine.Security.PLAIN, q, data, 0, data.length,
                    m.now()));
        }
        m.run(S);
        Map<Integer, Integer> qosBySize = new HashMap<>();
        OverlayPacketFlyweight p = new OverlayPacketFlyweight();
        FrameFlyweight f = new FrameFlyweight();
        for (byte[] pkt : b.recorded) {
            assertEquals(DecodeResult.OK, p.wrap(MemorySegment.ofArray(pkt), 0, pkt.length));
            for (int rc = f.first(p); rc == DecodeResult.OK; rc = f.next()) {
                if (!f.has(FrameFlyweight.F_ONE_HOP) && f.payloadLength() >= 100) {
                    qosBySize.put(f.payloadLength() / 100, f.qos());
                }
            }
        }
        for (Qos q : Qos.values()) {
            assertEquals(Integer.valueOf(q.wire()), qosBySize.get(q.ordinal() + 1), q + " on the wire");
        }
        assertEquals(3, Qos.OPPORTUNISTIC.wire());
        assertEquals(Qos.MESH_MANAGEMENT, Qos.ofWire(1));
        assertEquals(5, b.received.stream().filter(r -> r.dstPort() == 4000).count(), "all five delivered");
    }

    @Test
    void pacingArgumentsAreChecked() {
        SimMesh m = new SimMesh(SEED);
        m.net.addNode("a");
        m.start();
        MeshEngine e = m.node("a").engine;
        MdpException bad = assertThrows(MdpException.class, () -> e.pace(0, -1, 1));
        assertTrue(bad.getMessage().contains("packetsPerSecond >= 0"), bad.getMessage());
        assertThrows(MdpException.class, () -> e.pace(0, 10, 0));
        MdpException noIface = assertThrows(MdpException.class, () -> e.pace(7, 10, 1));
        assertTrue(noIface.getMessage().contains("addInterface"), noIface.getMessage());
        e.pace(0, 10, 1); // accepted
        e.pace(0, 0, 1);  // back to unpaced
    }
}
