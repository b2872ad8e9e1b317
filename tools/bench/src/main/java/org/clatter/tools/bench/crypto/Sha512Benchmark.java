package org.clatter.tools.bench.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.digests.SHA512Digest;
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
 * SHA-512 of a packet-sized input: the JDK's {@code MessageDigest} (intrinsified), BouncyCastle's
 * {@code SHA512Digest}, and Clatter's {@code Crypto.sha512} (which uses the JDK one). Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Sha512Benchmark {
    @Param({"64", "1200"})
    int size;

    private byte[] in;
    private final byte[] out = new byte[64];
    private MessageDigest jdk;
    private final SHA512Digest bc = new SHA512Digest();
    private final Crypto clatter = new BouncyCastleCryptoProvider().create(Config.empty());

    @Setup
    public void setUp() throws Exception {
        in = new byte[size];
        clatter.randomBytes(in, 0, size);
        jdk = MessageDigest.getInstance("SHA-512");
        byte[] a = jdk.digest(in);
        byte[] b = new byte[64];
        bc.update(in, 0, size);
        bc.doFinal(b, 0);
        byte[] c = new byte[64];
        clatter.sha512(in, 0, size, c, 0);
        if (!Arrays.equals(a, b) || !Arrays.equals(a, c)) {
            throw new IllegalStateException("SHA-512 implementations disagree");
        }
    }

    @Benchmark
    public byte[] jdkMessageDigest() throws Exception {
        jdk.update(in, 0, size);
        jdk.digest(out, 0, 64);
        return out;
    }

    @Benchmark
    public byte[] bcDigest() {
        bc.update(in, 0, size);
        bc.doFinal(out, 0);
        return out;
    }

    @Benchmark
    public byte[] clatterSha512() {
        clatter.sha512(in, 0, size, out, 0);
        return out;
    }
}
