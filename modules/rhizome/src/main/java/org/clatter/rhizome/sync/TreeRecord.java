package org.clatter.rhizome.sync;

/**
 * One 10-byte sync-keys tree record ({@code serval-rhizome-sync.md} §3): {@code H|m}, {@code p}, and the 8-byte
 * key or XOR summary. Bit 0 of {@link #value} is the most significant bit of byte 0.
 *
 * @param have      H: describes the sender's own holdings (1), or "I acknowledge you hold this and I do not" (0)
 * @param minPrefix m, 0..127 on the wire (valid records have m ≤ p)
 * @param prefixLen p: 0..63 summary, 64 leaf, 65 "I hold no keys"
 * @param value     the key, or prefix bits then XOR of the keys below
 */
public record TreeRecord(boolean have, int minPrefix, int prefixLen, long value) {
    public static final int BYTES = 10;
    public static final int MAX_PER_MESSAGE = 116;
    public static final int LEAF = 64;
    public static final int NO_KEYS = 65;
    /** {@code 80 41 00…}: "I hold no keys at all". */
    public static final TreeRecord EMPTY = new TreeRecord(true, 0, NO_KEYS, 0);

    /** Writes the record at {@code out[off, off+10)}. */
    public void encode(byte[] out, int off) {
        out[off] = (byte) ((have ? 0x80 : 0) | (minPrefix & 0x7F));
        out[off + 1] = (byte) prefixLen;
        for (int i = 0; i < 8; i++) {
            out[off + 2 + i] = (byte) (value >>> (56 - 8 * i));
        }
    }

    /** Reads the record at {@code in[off, off+10)}; does not validate (see {@link #isWellFormed()}). */
    public static TreeRecord decode(byte[] in, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[off + 2 + i] & 0xFF);
        }
        return new TreeRecord((in[off] & 0x80) != 0, in[off] & 0x7F, in[off + 1] & 0xFF, v);
    }

    /** servald's check: {@code m ≤ p} and {@code p ≤ 65}; a malformed record ends the processing of its message. */
    public boolean isWellFormed() {
        return minPrefix <= prefixLen && prefixLen <= NO_KEYS;
    }

    public boolean isLeaf() {
        return prefixLen == LEAF;
    }

    /** Encodes records as one tree message payload. */
    public static byte[] encodeMessage(java.util.List<TreeRecord> records) {
        byte[] out = new byte[records.size() * BYTES];
        for (int i = 0; i < records.size(); i++) {
            records.get(i).encode(out, i * BYTES);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("%02x %02x %016x", (have ? 0x80 : 0) | minPrefix, prefixLen, value);
    }
}
