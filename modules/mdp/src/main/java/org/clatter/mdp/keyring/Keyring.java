package org.clatter.mdp.keyring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clatter.mdp.Identity;
import org.clatter.mdp.MdpException;
import org.clatter.mdp.Sid;

/**
 * The identities of one node, in order; the first is the primary (the one that signs packet headers). Not
 * thread-safe. Persist with {@link ClatterKeyringFile}.
 */
public final class Keyring {
    private final List<Identity> identities = new ArrayList<>();

    public Keyring() {
    }

    public Keyring(List<Identity> initial) {
        initial.forEach(this::add);
    }

    /**
     * Adds an identity, or replaces the DID and name of the one with the same SID.
     *
     * @return true when it was new
     */
    public boolean add(Identity id) {
        for (int i = 0; i < identities.size(); i++) {
            if (identities.get(i).sid().equals(id.sid())) {
                identities.set(i, id);
                return false;
            }
        }
        identities.add(id);
        return true;
    }

    /** Adds every identity of another list (an import); returns how many were new. */
    public int addAll(List<Identity> ids) {
        int n = 0;
        for (Identity id : ids) {
            if (add(id)) {
                n++;
            }
        }
        return n;
    }

    public boolean remove(Sid sid) {
        return identities.removeIf(i -> i.sid().equals(sid));
    }

    public List<Identity> identities() {
        return List.copyOf(identities);
    }

    public int size() {
        return identities.size();
    }

    /** The first identity. */
    public Optional<Identity> primary() {
        return identities.isEmpty() ? Optional.empty() : Optional.of(identities.get(0));
    }

    /** The primary identity, or a clear error when the keyring is empty. */
    public Identity requirePrimary() {
        return primary().orElseThrow(() -> new MdpException(
                "the keyring holds no identity; create one with 'clatter keyring add' or import one"));
    }

    public Optional<Identity> find(Sid sid) {
        for (Identity i : identities) {
            if (i.sid().equals(sid)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Identities whose SID starts with the prefix. */
    public List<Identity> findByPrefix(byte[] prefix, int off, int len) {
        List<Identity> out = new ArrayList<>();
        for (Identity i : identities) {
            if (i.sid().startsWith(prefix, off, len)) {
                out.add(i);
            }
        }
        return out;
    }
}
