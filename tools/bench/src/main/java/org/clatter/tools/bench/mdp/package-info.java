/**
 * MDP benchmarks: crypted frames through the engine's receive path (decode, decrypt, deliver) next to the bare
 * {@code crypto_box} open of the same frames, and encrypted pings over loopback UDP next to a raw UDP
 * request/response loop.
 */
package org.clatter.tools.bench.mdp;
