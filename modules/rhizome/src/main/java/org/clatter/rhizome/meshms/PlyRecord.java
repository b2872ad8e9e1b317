package org.clatter.rhizome.meshms;

/** One record of a MeshMS2 ply ({@code serval-wire.md} §10). */
public sealed interface PlyRecord {
    int TYPE_ACK = 0x01;
    int TYPE_MESSAGE = 0x02;
    int TYPE_TIME = 0x03;

    /** A text message (UTF-8, stored with a NUL). */
    record Message(String text) implements PlyRecord {
    }

    /** Unix time in seconds (u32le). */
    record Time(long unixSeconds) implements PlyRecord {
        public Time {
            if (unixSeconds < 0 || unixSeconds > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("a ply time is a u32 of Unix seconds, got " + unixSeconds);
            }
        }
    }

    /** "I have read the other ply up to {@code endOffset}"; servald may add a length and binary data. */
    record Ack(long endOffset) implements PlyRecord {
    }

    /** A record of a type this codec does not interpret, kept as its body. */
    record Unknown(int type, byte[] body) implements PlyRecord {
        public Unknown {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }
}
