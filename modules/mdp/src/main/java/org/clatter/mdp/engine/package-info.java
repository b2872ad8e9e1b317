/**
 * The sans-I/O MDP node engine: {@link org.clatter.mdp.engine.MeshEngine} takes received overlay packets and the
 * current time, and produces packets to send and the time it wants to be woken; the same engine runs on UDP and,
 * deterministically, on the simulated network.
 *
 * <pre>
 *  receive(iface, from, packet, now) ──► header ─► neighbour (packet seq window) ─► frames (mdp seq window)
 *        ├─ broadcast: BPI dedup ─► deliver + re-flood (TTL-1)        ├─ port 2: link state ─► router
 *        └─ unicast: to me ─► open/verify ─► port 7 echo | listener    └─ next hop me ─► forward (TTL-1)
 *  poll(now, output) ──► tick: neighbour acks + route adverts (port 2) ─► router.recompute
 *                   └──► Qos queues (per destination, highest class first, length and latency bounds, pacing)
 *                            ─► OverlayPacketWriter (aggregate to MTU) ─► output.unicast / output.broadcast
 * </pre>
 */
package org.clatter.mdp.engine;
