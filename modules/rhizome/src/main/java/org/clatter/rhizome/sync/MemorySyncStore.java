package org.clatter.rhizome.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clatter.rhizome.Manifest;
import org.clatter.rhizome.PayloadHash;
import org.clatter.spi.crypto.Crypto;

/**
 * An in-memory {@link SyncStore} for simulations and benchmarks: real signed bundles held in memory, plus bare
 * sync keys that stand for bundles both sides already hold (so a million-bundle store costs only its keys).
 *
 * <pre>
 *   MemorySyncStore s = new MemorySyncStore(crypto);
 *   s.addKeyOnly(key);          // a common bundle: in the tree, never transferred
 *   s.add(manifest, payload);   // a real bundle: offered, served and verified on receipt
 * </pre>
 *
 * Not thread-safe: use it from the engine's thread.
 */
public final class MemorySyncStore implements SyncStore {
    private final Map<Long, Manifest> manifests = new HashMap<>();
    private final Map<Long, byte[]> payloads = new HashMap<>();
    private final Set<Long> bareKeys = new HashSet<>();
    private final Map<String, ByteArrayOutputStream> partial = new HashMap<>();
    private final Crypto crypto;

    /** @param crypto verifies received manifests' signatures */
    public MemorySyncStore(Crypto crypto) {
        this.crypto = crypto;
    }

    /** Stores a bundle (not verified: the caller made it). */
    public void add(Manifest m, byte[] payload) {
        long k = SyncEngine.key(m);
        manifests.put(k, m);
        payloads.put(k, payload.clone());
    }

    /** Adds a sync key with no bundle behind it: a bundle the other side holds too. */
    public void addKeyOnly(long key) {
        bareKeys.add(key);
    }

    /** Every key held: bare keys and real bundles'. */
    public Set<Long> allKeys() {
        Set<Long> s = new HashSet<>(bareKeys);
        s.addAll(manifests.keySet());
        return s;
    }

    /** How many keys are held (bare and real), without copying them. */
    public int size() {
        return bareKeys.size() + manifests.size();
    }

    @Override
    public List<Long> keys() {
        return new ArrayList<>(allKeys());
    }

    @Override
    public Optional<Manifest> bySyncKey(long key) {
        return Optional.ofNullable(manifests.get(key));
    }

    @Override
    public Optional<Manifest> byBidPrefix(byte[] prefix15) {
        return manifests.values().stream().filter(m -> Arrays.equals(Arrays.copyOf(m.id(), 15), prefix15)).findFirst();
    }

    @Override
    public Optional<InputStream> payload(Manifest m, long offset) {
        byte[] p = payloads.get(SyncEngine.key(m));
        return p == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(p, (int) offset, p.length - (int) offset));
    }

    @Override
    public Download begin(Manifest m) {
        ByteArrayOutputStream buf = partial.computeIfAbsent(m.idHex(), k -> new ByteArrayOutputStream());
        return new Download() {
            @Override
            public long written() {
                return buf.size();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
            }

            @Override
            public boolean finish() {
                byte[] p = buf.toByteArray();
                partial.remove(m.idHex());
                boolean ok = m.verify(crypto) && (m.filesize() == 0
                        || m.filehash().orElseThrow().equals(PayloadHash.of(new ByteArrayInputStream(p))));
                if (ok) {
                    add(m, p);
                }
                return ok;
            }

            @Override
            public void abort() {
                // the partial bytes stay for a resumed download
            }
        };
    }
}
