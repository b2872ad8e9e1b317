package org.clatter.signal.codec;

/** Shared test helpers: byte-array generators and the run-every-decoder check. */
public final class SignalProtoHelpers {
    private SignalProtoHelpers() {
    }

    /** Arbitrary byte arrays of {@code min..max} bytes (a length and a seed, so shrinking stays cheap). */
    public static org.quicktheories.core.Gen<byte[]> bytes(int min, int max) {
        return org.quicktheories.generators.SourceDSL.integers().between(min, max)
                .zip(org.quicktheories.generators.SourceDSL.longs().all(), (n, seed) -> {
                    byte[] b = new byte[n];
                    new java.util.SplittableRandom(seed).nextBytes(b);
                    return b;
                });
    }

    static byte[] unbox(Byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i];
        }
        return out;
    }

    /** Runs every decoder; anything but ProtoException escapes and fails the property. */
    static void decodeEverything(byte[] b) {
        tryDecode(() -> RpcMessage.decode(b));
        tryDecode(() -> SignalProto.JoinRequest.decode(b));
        tryDecode(() -> SignalProto.Message.decode(b));
        tryDecode(() -> SignalProto.SwarmEvent.decode(b));
        tryDecode(() -> SignalProto.AnnounceBack.decode(b));
        tryDecode(() -> SignalProto.decodePeerEvent(b));
        tryDecode(() -> SignalProto.Proof.decode(b));
    }

    private static void tryDecode(Runnable r) {
        try {
            r.run();
        } catch (ProtoException expected) {
            if (expected.getMessage() == null || expected.getMessage().isEmpty()) {
                throw new AssertionError("ProtoException without a message");
            }
        }
    }
}
