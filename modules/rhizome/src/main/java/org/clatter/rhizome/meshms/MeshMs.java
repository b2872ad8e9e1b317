package org.clatter.rhizome.meshms;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.clatter.rhizome.BundleKeys;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.PayloadCipher;
import org.clatter.rhizome.RhizomeIdentity;
import org.clatter.rhizome.RhizomeStore;
import org.clatter.spi.crypto.Crypto;
import org.clatter.spi.storage.RecordIndex;

/**
 * MeshMS2 conversations over a {@link RhizomeStore}, as servald keeps them: each direction of a conversation is
 * one encrypted journal bundle ({@code service=MeshMS2}, {@code sender}, {@code recipient}, {@code tail},
 * {@code crypt=1}) whose payload is a ply of records. Sending appends a MESSAGE and a TIME record to my ply;
 * listing messages appends an ACK of the other ply to mine (which tells the sender "delivered"), as servald's
 * {@code meshms list messages} does. The read marker is kept locally in the store's index.
 *
 * <p>A new ply gets a random bundle secret and a {@code BK} from the sender's Rhizome Secret, so the sender (on
 * any node holding its keyring) recovers the secret to append, as with servald's own plies (the captured
 * {@code meshms.rhm} carries such a BK). servald's per-identity {@code private} conversation-list bundle is not
 * written: read markers stay local to this store. Interop with a live servald is untested.
 */
public final class MeshMs {
    public static final String SERVICE = "MeshMS2";
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final RhizomeStore store;
    private final Crypto crypto;
    private final java.util.function.LongSupplier clockMillis;
    private final java.util.function.Supplier<BundleKeys> newKeys;

    public MeshMs(RhizomeStore store) {
        this(store, System::currentTimeMillis, null);
    }

    /**
     * MeshMS whose new plies take their {@code date} from {@code clockMillis} and their bundle keys from
     * {@code newKeys} instead of the wall clock and the random source: for runs that must repeat exactly (a
     * simulation from a seed).
     */
    public MeshMs(RhizomeStore store, java.util.function.LongSupplier clockMillis,
                  java.util.function.Supplier<BundleKeys> newKeys) {
        this.store = store;
        this.crypto = store.crypto();
        this.clockMillis = clockMillis;
        this.newKeys = newKeys != null ? newKeys : () -> BundleKeys.generate(crypto);
    }

    /** One message in a conversation. */
    public record Message(boolean sentByMe, String text, long unixSeconds, long endOffset, boolean delivered,
                          boolean read) {
    }

    /** One conversation of {@code me} with {@code other}. */
    public record Conversation(String other, long myPlyLength, long theirPlyLength, long readOffset) {
        /** True when the other party's ply has grown past what I marked read. */
        public boolean unread() {
            return theirPlyLength > readOffset;
        }
    }

    /** Appends a message (and its time) to my ply towards {@code recipientSid}, creating the ply if needed. */
    public Manifest send(RhizomeIdentity me, String recipientSid, String text, long unixSeconds) {
        byte[] records = PlyCodec.encode(List.of(new PlyRecord.Message(text), new PlyRecord.Time(unixSeconds)));
        return append(me, recipientSid, records);
    }

    private Manifest append(RhizomeIdentity me, String otherSid, byte[] plain) {
        String other = otherSid.toUpperCase(Locale.ROOT);
        byte[] key = PayloadCipher.key(HEX.parseHex(other), me.boxSecret(), crypto);
        Optional<Manifest> mine = myPly(me, other);
        if (mine.isPresent()) {
            Manifest m = mine.get();
            BundleKeys keys = BundleKeys.recover(m, me.rhizomeSecret(), crypto).orElseThrow(() -> new MeshMsException(
                    "cannot recover the bundle secret of my ply " + m.idHex() + " (was it made by servald with its "
                            + "deterministic ply keys?); appending needs the secret"));
            byte[] stored = plain.clone();
            new PayloadCipher(key, PayloadCipher.baseNonce(m.id(), 0), m.tail().orElse(0) + m.filesize(), crypto)
                    .apply(stored, 0, stored.length);
            return store.appendJournal(m, keys, stored);
        }
        BundleKeys keys = newKeys.get();
        byte[] stored = plain.clone();
        new PayloadCipher(key, PayloadCipher.baseNonce(keys.bid(), 0), 0, crypto).apply(stored, 0, stored.length);
        Manifest.Builder b = Manifest.builder()
                .set("service", SERVICE)
                .set("sender", me.sidHex())
                .set("recipient", other)
                .set("filesize", stored.length)
                .set("tail", 0)
                .set("version", stored.length)
                .set("id", HEX.formatHex(keys.bid()))
                .set("BK", HEX.formatHex(keys.bk(me.rhizomeSecret())))
                .set("date", clockMillis.getAsLong())
                .set("crypt", "1")
                .set("filehash", org.clatter.rhizome.PayloadHash.of(new ByteArrayInputStream(stored)));
        Manifest m = b.sign(keys.secret(), crypto);
        RhizomeStore.ImportResult r = store.importBundle(m, new ByteArrayInputStream(stored));
        if (r != RhizomeStore.ImportResult.IMPORTED) {
            throw new MeshMsException("storing the new ply " + m.idHex() + " failed: " + r);
        }
        return m;
    }

    private Optional<Manifest> myPly(RhizomeIdentity me, String other) {
        return ply(me.sidHex(), other);
    }

    private Optional<Manifest> ply(String sender, String recipient) {
        return store.list(Map.of("service", SERVICE, "sender", sender, "recipient", recipient), 2).stream()
                .max(Comparator.comparingLong(Manifest::version));
    }

    /** The decrypted records of a ply, with their logical offsets. */
    public PlyCodec.Decoded read(Manifest ply, RhizomeIdentity me) {
        byte[] key = PayloadCipher.key(ply, me, crypto);
        try (InputStream in = store.payload(ply.idHex(), 0).orElseThrow(() -> new MeshMsException(
                "the payload of ply " + ply.idHex() + " is not in the store"));
             InputStream plain = new PayloadCipher(key, ply, crypto).decrypting(in)) {
            return PlyCodec.decode(plain.readAllBytes(), ply.tail().orElse(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Conversations of {@code me}: every MeshMS2 ply from or to it, grouped by the other party. */
    public List<Conversation> conversations(RhizomeIdentity me) {
        Map<String, long[]> byOther = new TreeMap<>();
        for (Manifest m : store.list(Map.of("service", SERVICE, "sender", me.sidHex()), Integer.MAX_VALUE)) {
            m.recipient().ifPresent(r -> byOther.computeIfAbsent(r, k -> new long[2])[0] = end(m));
        }
        for (Manifest m : store.list(Map.of("service", SERVICE, "recipient", me.sidHex()), Integer.MAX_VALUE)) {
            m.sender().ifPresent(s -> byOther.computeIfAbsent(s, k -> new long[2])[1] = end(m));
        }
        List<Conversation> out = new ArrayList<>();
        byOther.forEach((other, len) -> out.add(new Conversation(other, len[0], len[1], readOffset(me, other))));
        return out;
    }

    private static long end(Manifest m) {
        return m.tail().orElse(0) + m.filesize();
    }

    /**
     * The messages between {@code me} and {@code other}, oldest first. Acknowledges the other ply in mine if
     * it grew (servald's behaviour), so the sender sees its messages delivered once my ply reaches it.
     */
    public List<Message> messages(RhizomeIdentity me, String otherSid) {
        String other = otherSid.toUpperCase(Locale.ROOT);
        Optional<Manifest> mine = myPly(me, other);
        Optional<Manifest> theirs = ply(other, me.sidHex());
        PlyCodec.Decoded myRecords = mine.map(m -> read(m, me)).orElse(new PlyCodec.Decoded(List.of(), Optional.empty()));
        PlyCodec.Decoded theirRecords = theirs.map(m -> read(m, me)).orElse(new PlyCodec.Decoded(List.of(), Optional.empty()));
        long theyAcked = lastAck(theirRecords);
        long iAcked = lastAck(myRecords);
        long read = readOffset(me, other);
        List<Message> out = new ArrayList<>();
        collect(myRecords, true, theyAcked, Long.MAX_VALUE, out);
        collect(theirRecords, false, Long.MAX_VALUE, read, out);
        out.sort(Comparator.comparingLong(Message::unixSeconds).thenComparing(Message::sentByMe));
        long theirEnd = theirs.map(MeshMs::end).orElse(0L);
        if (theirEnd > iAcked && theirs.isPresent() && mine.isPresent()) {
            append(me, other, PlyCodec.encode(new PlyRecord.Ack(theirEnd)));
        }
        return out;
    }

    private static long lastAck(PlyCodec.Decoded d) {
        long a = 0;
        for (PlyCodec.Entry e : d.entries()) {
            if (e.record() instanceof PlyRecord.Ack ack) {
                a = Math.max(a, ack.endOffset());
            }
        }
        return a;
    }

    private static void collect(PlyCodec.Decoded d, boolean mine, long ackedUpTo, long readUpTo, List<Message> out) {
        List<PlyCodec.Entry> es = d.entries();
        for (int i = 0; i < es.size(); i++) {
            if (es.get(i).record() instanceof PlyRecord.Message m) {
                long t = 0;
                if (i + 1 < es.size() && es.get(i + 1).record() instanceof PlyRecord.Time time) {
                    t = time.unixSeconds();
                }
                long end = es.get(i).end();
                out.add(new Message(mine, m.text(), t, end, mine && ackedUpTo >= end, !mine && readUpTo >= end));
            }
        }
    }

    /** Marks the other party's ply read up to its current end. */
    public void markRead(RhizomeIdentity me, String otherSid) {
        String other = otherSid.toUpperCase(Locale.ROOT);
        long end = ply(other, me.sidHex()).map(MeshMs::end).orElse(0L);
        store.index().put(new RecordIndex.Record(readKey(me, other), Map.of("kind", "meshms-read"),
                Long.toString(end).getBytes(StandardCharsets.US_ASCII), Optional.empty(), 0));
    }

    private long readOffset(RhizomeIdentity me, String other) {
        return store.index().get(readKey(me, other))
                .map(r -> Long.parseLong(new String(r.body(), StandardCharsets.US_ASCII))).orElse(0L);
    }

    private static String readKey(RhizomeIdentity me, String other) {
        return "meshms-read:" + me.sidHex() + ":" + other;
    }
}
