package org.clatter.tools.bench.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.clatter.crypto.BouncyCastleCryptoProvider;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two halves of {@code crypto_box}, each against BouncyCastle in the same run: Poly1305 of a message
 * (Clatter's package-private {@code Poly1305x}, 44-bit limbs four blocks per step, reached by reflection, which works because the
 * benchmark jar runs on the class path; vs BouncyCastle's {@code Poly1305}, 26-bit limbs) and the Salsa20
 * keystream XOR from block 0 (Clatter's {@code Crypto.salsa20Xor}, whose stream batches sixteen blocks through a
 * vectorized core; vs BouncyCastle's {@code Salsa20Engine}, reset to block 0 per call). {@code @Setup} checks
 * that both sides agree.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CipherPrimitivesBenchmark {
    private static final MethodHandle POLY1305X = poly1305x();

    @Param({"64", "1024", "8192"})
    int size;

    private final Crypto clatter = new BouncyCastleCryptoProvider().create(Config.empty());
    private final byte[] key = new byte[32];
    private final byte[] nonce = new byte[8];
    private final byte[] tag = new byte[16];
    private byte[] msg;
    private byte[] out;
    private final Poly1305 bcMac = new Poly1305();
    private final Salsa20Engine bcSalsa = new Salsa20Engine();

    private static MethodHandle poly1305x() {
        try {
            Class<?> poly = Class.forName("org.clatter.crypto.Poly1305x");
            Constructor<?> make = poly.getDeclaredConstructor();
            make.setAccessible(true);
            Method m = poly.getDeclaredMethod("mac", byte[].class, int.class, byte[].class, int.class, int.class,
                    byte[].class, int.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).bindTo(make.newInstance());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach org.clatter.crypto.Poly1305x.mac; run the shaded "
                    + "benchmark jar on the class path (tools/bench/run)", e);
        }
    }

    @Setup
    public void setUp() {
        clatter.randomBytes(key, 0, 32);
        clatter.randomBytes(nonce, 0, 8);
        msg = new byte[size];
        out = new byte[size];
        clatter.randomBytes(msg, 0, size);
        bcMac.init(new KeyParameter(key));
        bcSalsa.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] ours = Arrays.copyOf(clatterPoly1305(), 16);
        if (!Arrays.equals(ours, bcPoly1305())) {
            throw new IllegalStateException("Poly1305 implementations disagree");
        }
        byte[] stream = clatterSalsa20().clone();
        if (!Arrays.equals(stream, bcSalsa20())) {
            throw new IllegalStateException("Salsa20 implementations disagree");
        }
    }

    @Benchmark
    public byte[] clatterPoly1305() {
        try {
            POLY1305X.invokeExact(key, 0, msg, 0, size, tag, 0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return tag;
    }

    @Benchmark
    public byte[] bcPoly1305() {
        bcMac.init(new KeyParameter(key));
        bcMac.update(msg, 0, size);
        bcMac.doFinal(tag, 0);
        return tag;
    }

    @Benchmark
    public byte[] clatterSalsa20() {
        clatter.salsa20Xor(key, 0, nonce, 0, 0, msg, 0, size, out, 0);
        return out;
    }

    @Benchmark
    public byte[] bcSalsa20() {
        bcSalsa.reset();
        bcSalsa.processBytes(msg, 0, size, out, 0);
        return out;
    }
}
