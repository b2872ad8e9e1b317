package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Subscriber address codes (spec §3): a code byte and 0 to 32 bytes. */
public final class AddressCodes {
    /** 1..31: an abbreviation of that many bytes; 32: the full SID. */
    public static final int FULL = 0x20;
    public static final int SIGNKEY = 0xFB;
    public static final int P2P_ME = 0xFC;
    public static final int P2P_YOU = 0xFD;
    public static final int PREVIOUS = 0xFE;
    public static final int SELF = 0xFF;

    private AddressCodes() {
    }

    /** Bytes following the code byte, or -1 for a code that is not defined. */
    public static int bodyLength(int code) {
        if (code >= 0 && code <= FULL) {
            return code;
        }
        return switch (code) {
            case SIGNKEY -> 32;
            case P2P_ME, P2P_YOU, PREVIOUS, SELF -> 0;
            default -> -1;
        };
    }

    /**
     * The length of the address at {@code off} (code byte included), or -1 when it is not a valid address or runs
     * past {@code end}.
     */
    public static int measure(MemorySegment seg, long off, long end) {
        if (off >= end) {
            return -1;
        }
        int code = seg.get(ValueLayout.JAVA_BYTE, off) & 0xff;
        int body = bodyLength(code);
        if (body < 0 || code == 0 || off + 1 + body > end) {
            return -1;
        }
        return 1 + body;
    }
}
