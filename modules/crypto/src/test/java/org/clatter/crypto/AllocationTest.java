package org.clatter.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;

import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.junit.jupiter.api.Test;

/**
 * After warm-up, the box, secretbox, Salsa20 and SHA-512 paths allocate nothing per call (measured with
 * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}, which is reached by reflection so the
 * module need not read {@code jdk.management}).
 */
class AllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int CALLS = 5_000;

    private final Crypto crypto = new BouncyCastleCryptoProvider().create(Config.empty());
    private final byte[] aSk = new byte[32];
    private final byte[] bSk = new byte[32];
    private final byte[] aPk = new byte[32];
    private final byte[] bPk = new byte[32];
    private final byte[] edSeed = new byte[32];
    private final byte[] edPub = new byte[32];
    private final byte[] key = new byte[32];
    private final byte[] nonce = new byte[24];
    private final byte[] msg = new byte[1200];
    private final byte[] box = new byte[1216];
    private final byte[] plain = new byte[1200];
    private final byte[] sig = new byte[64];
    private final byte[] digest = new byte[64];

    AllocationTest() {
        crypto.randomBytes(aSk, 0, 32);
        crypto.randomBytes(bSk, 0, 32);
        crypto.randomBytes(edSeed, 0, 32);
        crypto.randomBytes(key, 0, 32);
        crypto.randomBytes(nonce, 0, 24);
        crypto.randomBytes(msg, 0, msg.length);
        crypto.x25519PublicKey(aSk, 0, aPk, 0);
        crypto.x25519PublicKey(bSk, 0, bPk, 0);
        crypto.ed25519PublicKey(edSeed, 0, edPub, 0);
        crypto.ed25519Sign(edSeed, 0, edPub, 0, msg, 0, 100, sig, 0);
    }

    private static final Method ALLOCATED;
    private static final Object BEAN;

    static {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            BEAN = factory.getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long allocated() {
        try {
            return (Long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Bytes allocated by {@code n} runs of {@code op}, minus the cost of measuring nothing. */
    static long measure(Runnable op, int n) {
        long empty0 = allocated();
        long empty1 = allocated();
        long overhead = empty1 - empty0;
        long start = allocated();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        return allocated() - start - overhead;
    }

    static long perCall(Runnable op) {
        measure(op, WARM_UP);
        return measure(op, CALLS);
    }

    /** Bytes per call of a slow operation (a curve operation takes 0.1 ms or more). */
    static long bytesPerSlowCall(Runnable op) {
        measure(op, 3_000);
        return measure(op, 1_000) / 1_000;
    }

    @Test
    void boxPathsAllocateNothingPerCall() {
        long box = perCall(() -> crypto.box(bPk, 0, aSk, 0, nonce, 0, msg, 0, 1200, this.box, 0));
        long open = perCall(() -> assertTrue(crypto.boxOpen(aPk, 0, bSk, 0, nonce, 0, this.box, 0, 1216, plain, 0)));
        long seal = perCall(() -> crypto.secretBox(key, 0, nonce, 0, msg, 0, 100, this.box, 0));
        long sopen = perCall(() -> crypto.secretBoxOpen(key, 0, nonce, 0, this.box, 0, 116, plain, 0));
        long sha = perCall(() -> crypto.sha512(msg, 0, 1200, digest, 0));
        long salsa = perCall(() -> crypto.salsa20Xor(key, 0, nonce, 0, 3, msg, 0, 1200, plain, 0));
        System.out.printf("allocated over %d calls: box %d, boxOpen %d, secretBox %d, secretBoxOpen %d, sha512 %d, "
                + "salsa20Xor %d%n", CALLS, box, open, seal, sopen, sha, salsa);
        // A small constant (a TLAB refill, a deoptimisation) is tolerated; one byte per call is not.
        assertTrue(box < CALLS, "box allocated " + box + " bytes over " + CALLS + " calls");
        assertTrue(open < CALLS, "boxOpen allocated " + open + " bytes over " + CALLS + " calls");
        assertTrue(seal < CALLS, "secretBox allocated " + seal + " bytes over " + CALLS + " calls");
        assertTrue(sopen < CALLS, "secretBoxOpen allocated " + sopen + " bytes over " + CALLS + " calls");
        assertTrue(sha < CALLS, "sha512 allocated " + sha + " bytes over " + CALLS + " calls");
        assertTrue(salsa < CALLS, "salsa20Xor allocated " + salsa + " bytes over " + CALLS + " calls");
    }

    /**
     * BouncyCastle's Ed25519 and X25519 allocate internally (a fresh SHA-512 digest, field-element arrays and
     * precomputation tables per call), which this provider cannot avoid without its own curve code. What it
     * does guarantee: the cost is a constant per call, never a copy of the message.
     */
    @Test
    void signatureAllocationIsAConstantPerCallNotPerByte() {
        long signShort = bytesPerSlowCall(() -> crypto.ed25519Sign(edSeed, 0, edPub, 0, msg, 0, 10, sig, 0));
        long signLong = bytesPerSlowCall(() -> crypto.ed25519Sign(edSeed, 0, edPub, 0, msg, 0, 1200, sig, 0));
        crypto.ed25519Sign(edSeed, 0, edPub, 0, msg, 0, 1200, sig, 0);
        long verifyLong = bytesPerSlowCall(() -> assertTrue(crypto.ed25519Verify(edPub, 0, msg, 0, 1200, sig, 0)));
        crypto.ed25519Sign(edSeed, 0, edPub, 0, msg, 0, 10, sig, 0);
        long verifyShort = bytesPerSlowCall(() -> assertTrue(crypto.ed25519Verify(edPub, 0, msg, 0, 10, sig, 0)));
        long x = bytesPerSlowCall(() -> crypto.x25519(aSk, 0, bPk, 0, key, 0));
        System.out.printf("BouncyCastle allocation per call: ed25519Sign %d (10 B message) / %d (1200 B), "
                + "ed25519Verify %d / %d, x25519 %d bytes%n", signShort, signLong, verifyShort, verifyLong, x);
        // A copy of the 1,200-byte message would add at least 1,190 bytes; JIT-tier noise stays far below 512.
        assertTrue(Math.abs(signLong - signShort) < 512, "sign allocation grows with the message");
        assertTrue(Math.abs(verifyLong - verifyShort) < 512, "verify allocation grows with the message");
    }
}
