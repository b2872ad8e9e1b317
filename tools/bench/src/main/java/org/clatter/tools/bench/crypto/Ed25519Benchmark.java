package org.clatter.tools.bench.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

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

/**
 * Ed25519 sign and verify of a 100-byte message (a signed Serval frame): BouncyCastle's low-level API through
 * Clatter's {@code Crypto} against the JDK's {@code Signature "Ed25519"}, with the same key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Ed25519Benchmark {
    private final Crypto clatter = new BouncyCastleCryptoProvider().create(Config.empty());
    private final byte[] seed = new byte[32];
    private final byte[] pub = new byte[32];
    private final byte[] msg = new byte[100];
    private final byte[] sig = new byte[64];
    private KeyPair jdkKeys;
    private Signature jdkSigner;
    private Signature jdkVerifier;

    @Setup
    public void setUp() throws Exception {
        jdkKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] s = ((EdECPrivateKey) jdkKeys.getPrivate()).getBytes().orElseThrow();
        System.arraycopy(s, 0, seed, 0, 32);
        clatter.ed25519PublicKey(seed, 0, pub, 0);
        byte[] spki = jdkKeys.getPublic().getEncoded();
        if (!Arrays.equals(spki, spki.length - 32, spki.length, pub, 0, 32)) {
            throw new IllegalStateException("Ed25519 public keys disagree");
        }
        clatter.randomBytes(msg, 0, msg.length);
        jdkSigner = Signature.getInstance("Ed25519");
        jdkVerifier = Signature.getInstance("Ed25519");
        clatter.ed25519Sign(seed, 0, pub, 0, msg, 0, msg.length, sig, 0);
        if (!Arrays.equals(sig, jdkSign()) || !jdkVerify() || !bcVerify()) {
            throw new IllegalStateException("Ed25519 implementations disagree");
        }
    }

    @Benchmark
    public byte[] bcSign() {
        clatter.ed25519Sign(seed, 0, pub, 0, msg, 0, msg.length, sig, 0);
        return sig;
    }

    @Benchmark
    public byte[] jdkSign() throws Exception {
        jdkSigner.initSign(jdkKeys.getPrivate());
        jdkSigner.update(msg);
        return jdkSigner.sign();
    }

    @Benchmark
    public boolean bcVerify() {
        return clatter.ed25519Verify(pub, 0, msg, 0, msg.length, sig, 0);
    }

    @Benchmark
    public boolean jdkVerify() throws Exception {
        jdkVerifier.initVerify(jdkKeys.getPublic());
        jdkVerifier.update(msg);
        return jdkVerifier.verify(sig);
    }
}
