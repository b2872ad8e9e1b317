package org.clatter.mdp.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.SharedFolder;
import org.clatter.mdp.TestCrypto;
import org.clatter.mdp.codec.CodecCounters;
import org.clatter.mdp.codec.DecodeResult;
import org.clatter.mdp.keyring.ClatterKeyringFile;
import org.clatter.mdp.keyring.KeyringDump;
import org.clatter.mdp.keyring.ServalKeyringFile;
import org.clatter.spi.crypto.Crypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary and mutated input never escapes a decoder: the overlay decoders return codes and count them, the file
 * readers throw only {@link MdpException}. Mutations start from the real capture so they reach deep paths (crypto,
 * link-state records, please-explain lists).
 */
class MalformedInputPropertiesTest {
    static Crypto crypto;
    static List<Identity> keys;
    static List<byte[]> capture = new ArrayList<>();

    @BeforeAll
    static void load() {
        crypto = TestCrypto.get();
        keys = new ArrayList<>(KeyringDump.parse(SharedFolder.readText("keyring_A.dump"), crypto));
        keys.addAll(KeyringDump.parse(SharedFolder.readText("keyring_B.dump"), crypto));
        PcapReader pcap = PcapReader.of(SharedFolder.read("serval-overlay.pcap"));
        while (pcap.next()) {
            if (pcap.isUdp()) {
                capture.add(pcap.segment().asSlice(pcap.payloadOffset(), pcap.payloadLength())
                        .toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    /** Applies 1..4 random mutations: flip, set, truncate, insert, duplicate a slice. */
    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = Arrays.copyOf(b, b.length + len);
                    System.arraycopy(b, at, c, b.length, len);
                    b = c;
                }
            }
        }
        return b;
    }

    private static void decodeCounted(OverlayInspector insp, byte[] d, long seed) {
        CodecCounters c = insp.counters();
        long packetsBefore = c.packets();
        long errorsBefore = c.errors();
        PacketReport p = insp.inspect(1, MemorySegment.ofArray(d), 0, d.length);
        assertEquals(packetsBefore + 1, c.packets(), "seed " + seed);
        boolean failed = p.result() != DecodeResult.OK
                || p.frames().stream().anyMatch(f -> f.result() != DecodeResult.OK);
        if (failed) {
            assertTrue(c.errors() > errorsBefore, "a failure is counted; seed " + seed);
        }
    }

    @Test
    void arbitraryBytesAreCountedNeverThrown() {
        OverlayInspector insp = new OverlayInspector(crypto, keys);
        qt().forAll(longs().all(), integers().between(0, 1300)).checkAssert((seed, len) -> {
            Random r = new Random(seed);
            byte[] d = new byte[len];
            r.nextBytes(d);
            if (len > 1 && r.nextBoolean()) {
                d[0] = (byte) r.nextInt(2);
                d[1] = (byte) (1 + r.nextInt(2));
            }
            decodeCounted(insp, d, seed);
        });
    }

    @Test
    void mutatedCapturePacketsAreCountedNeverThrown() {
        OverlayInspector insp = new OverlayInspector(crypto, keys);
        qt().withExamples(3000).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            byte[] d = mutate(capture.get(r.nextInt(capture.size())), r);
            decodeCounted(insp, d, seed);
        });
        assertTrue(insp.counters().errors() > 0, "mutations produced counted errors");
    }

    @Test
    void tamperedCryptedFramesFailTheMac() {
        OverlayInspector insp = new OverlayInspector(crypto, keys);
        List<byte[]> crypted = new ArrayList<>();
        for (byte[] d : capture) {
            PacketReport p = insp.inspect(0, MemorySegment.ofArray(d), 0, d.length);
            if (!p.frames().isEmpty() && p.frames().getLast().security() == FrameReport.Security.CRYPTED) {
                crypted.add(d);
            }
        }
        assertTrue(crypted.size() > 50, "crypted packets: " + crypted.size());
        qt().forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            byte[] d = crypted.get(r.nextInt(crypted.size())).clone();
            d[d.length - 1 - r.nextInt(40)] ^= (byte) (1 + r.nextInt(255));
            long before = insp.counters().get(DecodeResult.BAD_MAC);
            PacketReport p = insp.inspect(0, MemorySegment.ofArray(d), 0, d.length);
            assertEquals(FrameReport.Check.FAIL, p.frames().getLast().opened(), "seed " + seed);
            assertEquals(before + 1, insp.counters().get(DecodeResult.BAD_MAC), "seed " + seed);
        });
    }

    @Test
    void fileReadersThrowOnlyTheirOwnException() {
        byte[] keyring = SharedFolder.read("keyring_A.serval.keyring");
        byte[] pcap = SharedFolder.read("serval-overlay.pcap");
        byte[] clatter = ClatterKeyringFile.encode(new org.clatter.mdp.keyring.Keyring(keys), new char[0], 10, crypto);
        qt().withExamples(150).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            byte[] c = mutate(clatter, r);
            if (c.length >= 13) {
                int it = java.nio.ByteBuffer.wrap(c, 9, 4).getInt();
                if (it > 1000 && it <= ClatterKeyringFile.MAX_ITERATIONS) {
                    // A plausible but large count is honest work, not a bug: keep the test fast.
                    java.nio.ByteBuffer.wrap(c, 9, 4).putInt(10);
                }
            }
            expectOnlyMdpException(() -> ClatterKeyringFile.decode(c, new char[0], crypto), seed);
            byte[] k = keyring.clone();
            k[r.nextInt(k.length)] ^= (byte) (1 + r.nextInt(255));
            expectOnlyMdpException(() -> ServalKeyringFile.read(k, "", crypto), seed);
            expectOnlyMdpException(() -> ServalKeyringFile.read(mutate(keyring, r), "", crypto), seed);
            expectOnlyMdpException(() -> {
                PcapReader p = PcapReader.of(mutate(Arrays.copyOf(pcap, 4000), r));
                while (p.next()) {
                    p.payloadLength();
                }
            }, seed);
            byte[] text = mutate(SharedFolder.read("keyring_B.dump"), r);
            expectOnlyMdpException(() -> KeyringDump.parse(new String(text, java.nio.charset.StandardCharsets.ISO_8859_1),
                    crypto), seed);
        });
    }

    private static void expectOnlyMdpException(Runnable r, long seed) {
        try {
            r.run();
        } catch (MdpException e) {
            assertTrue(!e.getMessage().isBlank(), "seed " + seed);
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e, e);
        }
    }
}
