package org.clatter.tools.bench.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import javax.crypto.KeyAgreement;

import org.clatter.crypto.BouncyCastleCryptoProvider;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.provider.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One X25519 agreement: BouncyCastle (through Clatter's {@code Crypto.x25519}) against the JDK's KeyAgreement. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class X25519Benchmark {
    private final Crypto clatter = new BouncyCastleCryptoProvider().create(Config.empty());
    private final byte[] secret = new byte[32];
    private final byte[] peer = new byte[32];
    private final byte[] out = new byte[32];
    private PrivateKey jdkSecret;
    private PublicKey jdkPeer;
    private KeyAgreement jdk;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
        KeyPair mine = g.generateKeyPair();
        KeyPair theirs = g.generateKeyPair();
        jdkSecret = mine.getPrivate();
        jdkPeer = theirs.getPublic();
        byte[] scalar = ((XECPrivateKey) mine.getPrivate()).getScalar().orElseThrow();
        System.arraycopy(scalar, 0, secret, 0, 32);
        byte[] spki = theirs.getPublic().getEncoded();
        System.arraycopy(spki, spki.length - 32, peer, 0, 32);
        jdk = KeyAgreement.getInstance("X25519");
        if (!clatter.x25519(secret, 0, peer, 0, out, 0) || !Arrays.equals(out, jdkAgree())) {
            throw new IllegalStateException("X25519 implementations disagree");
        }
    }

    @Benchmark
    public byte[] bc() {
        clatter.x25519(secret, 0, peer, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] jdkAgree() throws Exception {
        jdk.init(jdkSecret);
        jdk.doPhase(jdkPeer, true);
        return jdk.generateSecret();
    }
}
