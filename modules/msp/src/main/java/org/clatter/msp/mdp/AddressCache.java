package org.clatter.msp.mdp;

import java.util.HashMap;
import org.clatter.mdp.Sid;
import org.clatter.msp.MspAddress;

/**
 * The two look-ups an MSP-over-MDP layer makes for every packet, allocation-free in the steady state: the MDP
 * {@link Sid} of an MSP address (on send) and the interned {@link MspAddress} of a SID and port (on delivery).
 * A delivery asks for the local and then the remote address, frame after frame, so the last two answers are kept
 * and answered without boxing the port.
 */
final class AddressCache {
    private final HashMap<MspAddress, Sid> sids = new HashMap<>();
    private final HashMap<Sid, HashMap<Integer, MspAddress>> addresses = new HashMap<>();
    private Sid recentSid;
    private MspAddress recent;
    private Sid olderSid;
    private MspAddress older;

    /** The SID of {@code address}. */
    Sid sid(MspAddress address) {
        Sid sid = sids.get(address);
        if (sid == null) {
            sid = Sid.of(address.sid());
            sids.put(address, sid);
        }
        return sid;
    }

    /** The one {@link MspAddress} for {@code sid} and {@code port}. */
    MspAddress address(Sid sid, int port) {
        if (recent != null && recent.port() == port && recentSid.equals(sid)) {
            return recent;
        }
        MspAddress a;
        if (older != null && older.port() == port && olderSid.equals(sid)) {
            a = older;
        } else {
            a = addresses.computeIfAbsent(sid, s -> new HashMap<>()).computeIfAbsent(port,
                    p -> MspAddress.of(sid.toBytes(), p));
        }
        olderSid = recentSid;
        older = recent;
        recentSid = sid;
        recent = a;
        return a;
    }
}
