package org.clatter.mdp.codec;

/** Result codes of the decoders. {@link #OK} and {@link #END} are success; every other code names why input was dropped. */
public final class DecodeResult {
    public static final int OK = 0;
    /** No more frames or records. */
    public static final int END = 1;
    public static final int TRUNCATED = 2;
    public static final int BAD_VERSION = 3;
    public static final int BAD_ENCAPSULATION = 4;
    public static final int BAD_ADDRESS = 5;
    public static final int BAD_LENGTH = 6;
    public static final int BAD_VARINT = 7;
    public static final int BAD_RECORD = 8;
    public static final int BAD_MAC = 9;
    public static final int BAD_SIGNATURE = 10;
    public static final int UNKNOWN_KEY = 11;
    public static final int UNRESOLVED_ADDRESS = 12;
    public static final int CIPHERED_UNSIGNED = 13;
    public static final int COUNT = 14;

    private static final String[] NAMES = {
        "ok", "end", "truncated", "bad_version", "bad_encapsulation", "bad_address", "bad_length", "bad_varint",
        "bad_record", "bad_mac", "bad_signature", "unknown_key", "unresolved_address", "ciphered_unsigned"
    };

    private DecodeResult() {
    }

    /** A short metric-style name, e.g. {@code bad_mac}. */
    public static String name(int code) {
        return code >= 0 && code < COUNT ? NAMES[code] : "code_" + code;
    }

    public static boolean isSuccess(int code) {
        return code == OK || code == END;
    }
}
