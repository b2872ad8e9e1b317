package org.clatter.msp.mdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.clatter.core.time.VirtualScheduler;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpCrypto;
import org.clatter.mdp.Sid;
import org.clatter.mdp.engine.MeshEngine;
import org.clatter.msp.MspAddress;
import org.clatter.msp.MspConfig;
import org.clatter.msp.MspDatagramLayer;
import org.clatter.msp.MspEngine;
import org.clatter.msp.MspException;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.Test;

/** The layer's network entry point and port binding. */
class MdpDatagramLayerTest {
    static final Crypto CRYPTO = MdpCrypto.load();

    record Setup(MeshEngine mesh, MdpDatagramLayer layer, MspEngine msp) {
    }

    static Setup setup(long seed) {
        byte[] s = new byte[32];
        new SplittableRandom(seed).nextBytes(s);
        MdpDatagramLayer[] l = new MdpDatagramLayer[1];
        MeshEngine mesh = new MeshEngine(CRYPTO, Identity.fromSeed(CRYPTO, s, new byte[0], "", "t"), seed,
                (f, sp, t, dp, sec, d, now) -> l[0].datagram(f, sp, t, dp, sec, d, now));
        VirtualScheduler scheduler = new VirtualScheduler();
        l[0] = new MdpDatagramLayer(mesh, scheduler.clock(), () -> { });
        MspEngine msp = new MspEngine(l[0], MspConfig.defaults(), scheduler);
        l[0].attach(msp);
        return new Setup(mesh, l[0], msp);
    }

    @Test
    void arbitraryAndMutatedFramesAreCountedNeverThrown() {
        Setup st = setup(1);
        st.msp().listen(MspAddress.anyIdentity(555), c -> null);
        byte[] valid = {0x04 | 0x40, 0, 0, 0, 0, 'h', 'i'};
        qt().withExamples(2000).forAll(longs().all(), integers().between(0, 3), integers().between(0, 1200))
                .checkAssert((seed, mode, len) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    byte[] data;
                    if (mode == 0) {
                        data = new byte[len];
                        r.nextBytes(data);
                    } else {
                        data = valid.clone();
                        data[r.nextInt(data.length)] ^= (byte) (1 + r.nextInt(255));
                    }
                    byte[] from = new byte[32];
                    r.nextBytes(from);
                    MeshEngine.Security sec = MeshEngine.Security.values()[r.nextInt(3)];
                    long port = mode == 3 ? r.nextLong() & 0xFFFF_FFFFL : 555;
                    st.layer().datagram(Sid.of(from), r.nextLong() & 0xFFFF_FFFFL, st.mesh().sid(), port, sec, data,
                            0);
                });
        var c = st.layer().counters();
        long total = c.get("msp.mdp.delivered") + c.get("msp.mdp.not_crypted") + c.get("msp.mdp.unbound");
        assertEquals(2000L, total, "every frame counted once: " + c);
        assertTrue(c.get("msp.mdp.not_crypted") > 0 && c.get("msp.mdp.delivered") > 0, c.toString());
    }

    @Test
    void bindingRefusesForeignIdentitiesAndTakenPortsAndHandsOutEphemeralPorts() {
        Setup st = setup(2);
        MdpDatagramLayer layer = st.layer();
        MspAddress a = layer.bind(layer.primaryIdentity());
        MspAddress b = layer.bind(MspAddress.anyIdentity(0));
        assertTrue(Integer.compareUnsigned(a.port(), MdpDatagramLayer.FIRST_EPHEMERAL_PORT) >= 0);
        assertTrue(a.port() != b.port());
        layer.bind(MspAddress.anyIdentity(555));
        MspException taken = assertThrows(MspException.class, () -> layer.bind(layer.primaryIdentity().withPort(555)));
        assertTrue(taken.getMessage().contains("already bound"), taken.getMessage());
        byte[] other = new byte[32];
        other[0] = 1;
        MspException foreign = assertThrows(MspException.class, () -> layer.bind(MspAddress.of(other, 9)));
        assertTrue(foreign.getMessage().contains("not an identity of this node"), foreign.getMessage());
        layer.unbind(MspAddress.anyIdentity(555));
        assertEquals(555, layer.bind(MspAddress.anyIdentity(555)).port());
        // No route to anyone: MSP is told UNREACHABLE and keeps retrying until its timeout.
        assertEquals(MspDatagramLayer.UNREACHABLE, layer.send(a, MspAddress.of(other, 9), new byte[5], 0, 5));
    }
}
