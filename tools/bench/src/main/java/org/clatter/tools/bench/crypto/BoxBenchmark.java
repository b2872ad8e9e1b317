package org.clatter.tools.bench.crypto;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
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
 * {@code crypto_box} with a precomputed key ({@code crypto_box_afternm} / {@code open_afternm}, which is
 * {@code secretBox}) of 64-, 1,024- (an MSP packet) and 8,192-byte messages. Baseline: the textbook BouncyCastle
 * composition ({@code XSalsa20Engine} and {@code Poly1305} with new parameter objects per packet) in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BoxBenchmark {
    @Param({"64", "1024", "8192"})
    int size;

    private final Crypto clatter = new BouncyCastleCryptoProvider().create(Config.empty());
    private final byte[] key = new byte[32];
    private final byte[] nonce = new byte[24];
    private byte[] msg;
    private byte[] box;
    private byte[] sealed;
    private byte[] plain;
    private final XSalsa20Engine bcStream = new XSalsa20Engine();
    private final Poly1305 bcMac = new Poly1305();
    private final byte[] polyKey = new byte[32];
    private final byte[] tag = new byte[16];

    @Setup
    public void setUp() {
        byte[] sk = new byte[32];
        byte[] pk = new byte[32];
        clatter.randomBytes(sk, 0, 32);
        clatter.randomBytes(pk, 0, 32);
        if (!clatter.boxBeforeNm(pk, 0, sk, 0, key, 0)) {
            throw new IllegalStateException("random public key was of small order");
        }
        clatter.randomBytes(nonce, 0, 24);
        msg = new byte[size];
        clatter.randomBytes(msg, 0, size);
        box = new byte[size + 16];
        sealed = new byte[size + 16];
        plain = new byte[size];
        clatter.secretBox(key, 0, nonce, 0, msg, 0, size, sealed, 0);
        if (!Arrays.equals(sealed, bcSeal()) || !clatterOpen() || !Arrays.equals(plain, msg)
                || !bcOpen() || !Arrays.equals(plain, msg)) {
            throw new IllegalStateException("secretbox implementations disagree");
        }
    }

    @Benchmark
    public byte[] clatterSeal() {
        clatter.secretBox(key, 0, nonce, 0, msg, 0, size, box, 0);
        return box;
    }

    @Benchmark
    public boolean clatterOpen() {
        return clatter.secretBoxOpen(key, 0, nonce, 0, sealed, 0, sealed.length, plain, 0);
    }

    @Benchmark
    public byte[] bcSeal() {
        bcStream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        bcStream.processBytes(new byte[32], 0, 32, polyKey, 0);
        bcStream.processBytes(msg, 0, size, box, 16);
        bcMac.init(new KeyParameter(polyKey));
        bcMac.update(box, 16, size);
        bcMac.doFinal(box, 0);
        return box;
    }

    @Benchmark
    public boolean bcOpen() {
        bcStream.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        bcStream.processBytes(new byte[32], 0, 32, polyKey, 0);
        bcMac.init(new KeyParameter(polyKey));
        bcMac.update(sealed, 16, size);
        bcMac.doFinal(tag, 0);
        if (!Arrays.equals(tag, 0, 16, sealed, 0, 16)) {
            return false;
        }
        bcStream.processBytes(sealed, 16, size, plain, 0);
        return true;
    }
}
