package org.clatter.mdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.clatter.mdp.internal.crypto.XSalsa20;
import org.junit.jupiter.api.Test;

class XSalsa20Test {
    @Test
    void matchesBouncyCastle() {
        qt().forAll(longs().all(), integers().between(0, 300)).checkAssert((seed, len) -> {
            Random r = new Random(seed);
            byte[] key = new byte[32];
            byte[] nonce = new byte[24];
            byte[] data = new byte[len];
            r.nextBytes(key);
            r.nextBytes(nonce);
            r.nextBytes(data);
            byte[] ours = data.clone();
            XSalsa20.xor(key, nonce, ours, 0, len);
            XSalsa20Engine e = new XSalsa20Engine();
            e.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
            byte[] theirs = new byte[len];
            e.processBytes(data, 0, len, theirs, 0);
            assertArrayEquals(theirs, ours, "seed " + seed);
        });
    }
}
