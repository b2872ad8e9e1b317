package org.clatter.rhizome;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.clatter.spi.crypto.Crypto;

/**
 * The Rhizome payload cipher ({@code serval-wire.md} §9.4): XSalsa20 with no MAC, in independent 4096-byte
 * pages whose nonce is the base nonce plus the page's logical offset (24-byte big-endian addition). The same
 * operation encrypts and decrypts. Streams: nothing is held beyond one 64-byte keystream block.
 *
 * <pre>{@code
 * byte[] key = PayloadCipher.key(manifest, me, crypto);            // recipient/sender rule
 * try (InputStream plain = new PayloadCipher(key, manifest, crypto).decrypting(storedPayload)) { ... }
 * }</pre>
 */
public final class PayloadCipher {
    public static final int PAGE = 4096;
    private static final byte[] SASQUATCH = "sasquatch".getBytes(StandardCharsets.US_ASCII);

    private final Crypto crypto;
    private final byte[] key;
    private final byte[] baseNonce;
    private final byte[] pageNonce = new byte[24];
    private final byte[] subKey = new byte[32];
    private final byte[] block = new byte[64];
    private long position;
    private long blockIndex = -1;

    /**
     * @param key           the 32-byte payload key ({@link #key})
     * @param baseNonce     the 24-byte base nonce ({@link #baseNonce})
     * @param logicalOffset where the stream starts: stored offset + {@code tail} for journals
     */
    public PayloadCipher(byte[] key, byte[] baseNonce, long logicalOffset, Crypto crypto) {
        if (key.length != 32 || baseNonce.length != 24 || logicalOffset < 0) {
            throw new RhizomeException("payload cipher needs a 32-byte key, a 24-byte nonce and a non-negative offset");
        }
        this.crypto = crypto;
        this.key = key.clone();
        this.baseNonce = baseNonce.clone();
        this.position = logicalOffset;
    }

    /** A cipher for the stored payload of {@code m} from stored offset 0. */
    public PayloadCipher(byte[] key, Manifest m, Crypto crypto) {
        this(key, baseNonce(m), m.tail().orElse(0), crypto);
    }

    /** The base nonce: SHA-512(u64le(V) ‖ BID ‖ u64le(V))[0..24), V = version, or 0 for journals. */
    public static byte[] baseNonce(Manifest m) {
        return baseNonce(m.id(), m.isJournal() ? 0 : m.version());
    }

    /**
     * The payload key as seen by {@code me}. With a {@code recipient}: SHA-512(crypto_box_beforenm(other,
     * my box secret))[0..32), "other" being the sender (or map(BID) without a sender) when I am the recipient,
     * the recipient when I am the sender. Without a recipient: use {@link #key(Manifest, BundleKeys)}.
     *
     * @throws RhizomeException if the manifest has no recipient, or {@code me} is neither sender nor recipient
     */
    public static byte[] key(Manifest m, RhizomeIdentity me, Crypto crypto) {
        String recipient = m.recipient().orElseThrow(() -> new RhizomeException(
                "manifest has no recipient: its payload key comes from the bundle secret, use key(manifest, bundleKeys)"));
        byte[] other;
        if (recipient.equalsIgnoreCase(me.sidHex())) {
            if (m.sender().isPresent()) {
                other = HexFormat.of().parseHex(m.sender().get());
            } else {
                other = new byte[32];
                if (!crypto.ed25519PublicToX25519(m.id(), 0, other, 0)) {
                    throw new RhizomeException("the BID is not a valid Ed25519 point; cannot derive the sender's key");
                }
            }
        } else if (m.sender().map(s -> s.equalsIgnoreCase(me.sidHex())).orElse(false)) {
            other = HexFormat.of().parseHex(recipient);
        } else {
            throw new RhizomeException("identity " + me.sidHex() + " is neither sender nor recipient of " + m.idHex()
                    + "; decrypt with the keys of one of them");
        }
        return key(other, me.boxSecret(), crypto);
    }

    /** The payload key between my box secret and the other party's SID: SHA-512(crypto_box_beforenm)[0..32). */
    public static byte[] key(byte[] otherSid, byte[] myBoxSecret, Crypto crypto) {
        byte[] x = new byte[32];
        if (!crypto.boxBeforeNm(otherSid, 0, myBoxSecret, 0, x, 0)) {
            throw new RhizomeException("the peer SID is a low-order point; refusing to derive a payload key");
        }
        return Arrays.copyOf(Manifest.sha512().digest(x), 32);
    }

    /** The base nonce for a BID and V (the version, or 0 for journals). */
    public static byte[] baseNonce(byte[] bid, long v) {
        byte[] le = new byte[8];
        for (int i = 0; i < 8; i++) {
            le[i] = (byte) (v >>> (8 * i));
        }
        MessageDigest md = Manifest.sha512();
        md.update(le);
        md.update(bid);
        md.update(le);
        return Arrays.copyOf(md.digest(), 24);
    }

    /** The payload key of a bundle without recipient: SHA-512("sasquatch" ‖ seed ‖ BID)[0..32). */
    public static byte[] key(Manifest m, BundleKeys keys) {
        MessageDigest md = Manifest.sha512();
        md.update(SASQUATCH);
        md.update(keys.secret());
        md.update(keys.bid());
        return Arrays.copyOf(md.digest(), 32);
    }

    /** XORs the keystream at the current position into {@code buf[off, off+len)} and advances. */
    public void apply(byte[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            long idx = position / 64;
            if (idx != blockIndex) {
                refill(idx);
            }
            buf[off + i] ^= block[(int) (position % 64)];
            position++;
        }
    }

    private void refill(long globalBlock) {
        long page = position / PAGE * PAGE;
        long blockInPage = (position - page) / 64;
        if (blockIndex < 0 || position % PAGE < 64 || globalBlock != blockIndex + 1) {
            System.arraycopy(baseNonce, 0, pageNonce, 0, 24);
            long carry = page;
            for (int i = 23; i >= 0 && carry != 0; i--) {
                long sum = (pageNonce[i] & 0xFF) + (carry & 0xFF);
                pageNonce[i] = (byte) sum;
                carry = (carry >>> 8) + (sum >>> 8);
            }
            crypto.hsalsa20(key, 0, pageNonce, 0, subKey, 0);
        }
        Arrays.fill(block, (byte) 0);
        crypto.salsa20Xor(subKey, 0, pageNonce, 16, blockInPage, block, 0, 64, block, 0);
        blockIndex = globalBlock;
    }

    /** A stream that applies this cipher to what it reads. */
    public InputStream decrypting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    apply(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] tmp = new byte[(int) Math.min(n, 8192)];
                int r = read(tmp, 0, tmp.length);
                return Math.max(r, 0);
            }
        };
    }

    /** A stream that applies this cipher to what is written to it. */
    public OutputStream encrypting(OutputStream out) {
        return new FilterOutputStream(out) {
            private final byte[] buf = new byte[8192];

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, buf.length);
                    System.arraycopy(b, off, buf, 0, n);
                    apply(buf, 0, n);
                    out.write(buf, 0, n);
                    off += n;
                    len -= n;
                }
            }
        };
    }
}
