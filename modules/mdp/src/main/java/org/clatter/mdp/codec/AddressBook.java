package org.clatter.mdp.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.clatter.mdp.Sid;
import org.clatter.spi.crypto.Crypto;

/**
 * The subscribers a node knows (spec §3): SIDs, and Signing IDs where known. Resolves addresses as they appear in a
 * packet, keeping the packet's {@code SELF} and {@code PREVIOUS} context. Single-threaded.
 *
 * <p>Typical use per packet: {@link #beginPacket} with the header's sender address, then {@link #resolve} for each
 * address in order; {@link #resolved()} is the SID found.
 */
public final class AddressBook {
    private final Crypto crypto;
    private final List<Entry> entries = new ArrayList<>();
    /** Entries by their first 8 bytes, so full SIDs and long prefixes resolve without a scan. */
    private final java.util.HashMap<Long, Entry> byHead = new java.util.HashMap<>();
    private final byte[] scratch = new byte[32];
    private final byte[] scratch2 = new byte[32];
    private Sid sender;
    private Sid previous;
    private Sid savedSender;
    private Sid savedPrevious;
    private Sid resolved;
    private Entry lastLearnt;

    public AddressBook(Crypto crypto) {
        this.crypto = crypto;
    }

    /** Adds a SID (no-op when known); returns the stored instance. */
    public Sid add(Sid sid) {
        return entry(sid).sid;
    }

    /**
     * Adds one of this node's own SIDs: an abbreviation that matches it and other known SIDs resolves to it (a
     * node that abbreviates our SID to us means us; junk or an attacker's SIDs sharing our prefix must not make our
     * own address unresolvable).
     */
    public Sid addLocal(Sid sid) {
        Entry e = entry(sid);
        e.local = true;
        return e.sid;
    }

    /** Records a subscriber's Signing ID, checking that it maps onto the SID (combined identities only). */
    public boolean addSigningKey(Sid sid, byte[] signingId) {
        if (!crypto.ed25519PublicToX25519(signingId, 0, scratch, 0) || !sid.equalsBytes(scratch, 0)) {
            return false;
        }
        entry(sid).signingId = signingId.clone();
        return true;
    }

    /** Records a Signing ID of an old-style (non-combined) identity, trusted without the map check. */
    public void addUncheckedSigningKey(Sid sid, byte[] signingId) {
        entry(sid).signingId = signingId.clone();
    }

    public Optional<byte[]> signingKey(Sid sid) {
        for (Entry e : entries) {
            if (e.sid.equals(sid)) {
                return Optional.ofNullable(e.signingId).map(byte[]::clone);
            }
        }
        return Optional.empty();
    }

    /** The unique known SID that starts with the prefix. */
    public Optional<Sid> lookup(byte[] prefix, int off, int len) {
        return Optional.ofNullable(match(prefix, off, len));
    }

    public List<Sid> known() {
        return entries.stream().map(e -> e.sid).toList();
    }

    public int size() {
        return entries.size();
    }

    /**
     * Starts a packet's context: resolves the header's sender address.
     *
     * @return {@link DecodeResult#OK} or {@link DecodeResult#UNRESOLVED_ADDRESS} (then ask with please-explain)
     */
    public int beginPacket(MemorySegment seg, long senderOffset) {
        sender = null;
        previous = null;
        int r = resolve(seg, senderOffset);
        sender = r == DecodeResult.OK ? resolved : null;
        return r;
    }

    /** Starts a packet's context with a sender resolved some other way (see {@link #beginPacket}). */
    public void beginPacket(Sid knownSender) {
        sender = knownSender;
        previous = knownSender;
    }

    /**
     * Starts a nested context, as for the addresses inside a link-state payload: {@code SELF} is the frame's source
     * and {@code PREVIOUS} starts empty.
     */
    public void beginContext(Sid self) {
        savedSender = sender;
        savedPrevious = previous;
        sender = self;
        previous = null;
    }

    /** Returns to the packet's context after {@link #beginContext}: payload addresses do not change it. */
    public void endContext() {
        sender = savedSender;
        previous = savedPrevious;
    }

    /** The packet's sender, once {@link #beginPacket} resolved it. */
    public Optional<Sid> sender() {
        return Optional.ofNullable(sender);
    }

    /**
     * Resolves the address at {@code off} and makes it the context's "previous".
     *
     * @return {@link DecodeResult#OK} (see {@link #resolved()}), {@link DecodeResult#UNRESOLVED_ADDRESS} or
     *         {@link DecodeResult#BAD_ADDRESS}
     */
    public int resolve(MemorySegment seg, long off) {
        int code = seg.get(ValueLayout.JAVA_BYTE, off) & 0xff;
        resolved = null;
        lastLearnt = null;
        switch (code) {
            case AddressCodes.SELF -> resolved = sender;
            case AddressCodes.PREVIOUS -> resolved = previous;
            case AddressCodes.FULL -> {
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + 1, scratch, 0, 32);
                resolved = entryFor(scratch).sid;
            }
            case AddressCodes.SIGNKEY -> {
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + 1, scratch2, 0, 32);
                if (!crypto.ed25519PublicToX25519(scratch2, 0, scratch, 0)) {
                    return DecodeResult.BAD_ADDRESS;
                }
                Entry e = entryFor(scratch);
                if (e.signingId == null) {
                    e.signingId = scratch2.clone();
                }
                resolved = e.sid;
            }
            case AddressCodes.P2P_ME, AddressCodes.P2P_YOU -> {
                return DecodeResult.UNRESOLVED_ADDRESS;
            }
            default -> {
                if (code < 1 || code > 31) {
                    return DecodeResult.BAD_ADDRESS;
                }
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + 1, scratch, 0, code);
                resolved = match(scratch, 0, code);
            }
        }
        if (resolved == null) {
            return DecodeResult.UNRESOLVED_ADDRESS;
        }
        previous = resolved;
        return DecodeResult.OK;
    }

    /** The SID of the last successful {@link #resolve}. */
    public Sid resolved() {
        if (resolved == null) {
            throw new IllegalStateException("no address resolved; check resolve()'s result first");
        }
        return resolved;
    }

    /** The one known SID with this prefix; on several, the one local SID among them, else null. */
    private Sid match(byte[] prefix, int off, int len) {
        matchFound = null;
        matchLocal = null;
        matches = 0;
        locals = 0;
        if (len >= 8) {
            for (Entry e = byHead.get(head(prefix, off)); e != null; e = e.nextSameHead) {
                consider(e, prefix, off, len);
            }
        } else {
            for (Entry e : entries) {
                consider(e, prefix, off, len);
            }
        }
        Entry m = matches == 1 ? matchFound : locals == 1 ? matchLocal : null;
        matchFound = null;
        matchLocal = null;
        return m == null ? null : m.sid;
    }

    private Entry matchFound;
    private Entry matchLocal;
    private int matches;
    private int locals;

    private void consider(Entry e, byte[] prefix, int off, int len) {
        if (e.sid.startsWith(prefix, off, len)) {
            matchFound = e;
            matches++;
            if (e.local) {
                matchLocal = e;
                locals++;
            }
        }
    }

    private static long head(byte[] b, int off) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (b[off + i] & 0xff);
        }
        return h;
    }

    private Entry entryFor(byte[] sid32) {
        Entry e = byHead.get(head(sid32, 0));
        for (; e != null; e = e.nextSameHead) {
            if (e.sid.equalsBytes(sid32, 0)) {
                return e;
            }
        }
        e = new Entry(Sid.of(Arrays.copyOf(sid32, 32)));
        insert(e);
        lastLearnt = e;
        return e;
    }

    private Entry entry(Sid sid) {
        byte[] b = sid.toBytes();
        for (Entry e = byHead.get(head(b, 0)); e != null; e = e.nextSameHead) {
            if (e.sid.equals(sid)) {
                return e;
            }
        }
        Entry e = new Entry(sid);
        insert(e);
        return e;
    }

    private void insert(Entry e) {
        entries.add(e);
        byte[] b = e.sid.toBytes();
        e.nextSameHead = byHead.put(head(b, 0), e);
    }

    /** Whether the last {@link #resolve} learnt a SID that was not known before. */
    public boolean learntNew() {
        return lastLearnt != null;
    }

    private static final class Entry {
        final Sid sid;
        byte[] signingId;
        Entry nextSameHead;
        boolean local;

        Entry(Sid sid) {
            this.sid = sid;
        }
    }
}
