package org.clatter.msp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One end of an MSP stream: a 32-byte Serval SID and a 32-bit MDP port (compared as unsigned). Immutable; the MDP
 * layer should keep one instance per peer and port rather than build one per datagram.
 * The all-zero SID ({@link #anyIdentity}) stands for "every local identity" when listening.
 */
public final class MspAddress {
    /** Bytes in a SID. */
    public static final int SID_BYTES = 32;
    private static final byte[] ANY = new byte[SID_BYTES];

    private final byte[] sid;
    private final int port;
    private final int hash;

    private MspAddress(byte[] sid, int port) {
        this.sid = sid;
        this.port = port;
        this.hash = 31 * Arrays.hashCode(sid) + port;
    }

    /** An address from a 32-byte SID (copied) and a port. */
    public static MspAddress of(byte[] sid, int port) {
        if (sid == null || sid.length != SID_BYTES) {
            throw new MspException("a SID has exactly 32 bytes; got "
                    + (sid == null ? "none" : sid.length + " bytes"));
        }
        return new MspAddress(sid.clone(), port);
    }

    /** An address from a SID in hex (64 digits, either case) and a port. */
    public static MspAddress ofHex(String sidHex, int port) {
        if (sidHex == null || sidHex.length() != 2 * SID_BYTES) {
            throw new MspException("a SID is written as 64 hex digits; got \"" + sidHex + "\"");
        }
        try {
            return new MspAddress(HexFormat.of().parseHex(sidHex), port);
        } catch (IllegalArgumentException e) {
            throw new MspException("a SID is written as 64 hex digits; \"" + sidHex + "\" is not hex", e);
        }
    }

    /** Listening on every local identity at {@code port}. */
    public static MspAddress anyIdentity(int port) {
        return new MspAddress(ANY.clone(), port);
    }

    /** A copy of the SID. */
    public byte[] sid() {
        return sid.clone();
    }

    /** The SID's byte {@code i}, without copying. */
    public byte sidByte(int i) {
        return sid[i];
    }

    public int port() {
        return port;
    }

    /** Upper-case hex, as servald writes SIDs. */
    public String sidHex() {
        return HexFormat.of().withUpperCase().formatHex(sid);
    }

    /** True for the all-zero SID. */
    public boolean isAnyIdentity() {
        return Arrays.equals(sid, ANY);
    }

    /** The same SID with another port. */
    public MspAddress withPort(int newPort) {
        return newPort == port ? this : new MspAddress(sid, newPort);
    }

    /** True if the SIDs are equal (ports ignored). */
    public boolean sameSid(MspAddress other) {
        return Arrays.equals(sid, other.sid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MspAddress a && a.port == port && a.hash == hash && Arrays.equals(a.sid, sid);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return sidHex().substring(0, 12) + "*:" + Integer.toUnsignedString(port);
    }
}
