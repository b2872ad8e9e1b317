/**
 * Serval overlay codec: zero-copy flyweights over {@link java.lang.foreign.MemorySegment} and allocation-free
 * writers, following {@code shared/specs/serval-wire.md}.
 *
 * <pre>
 *  UDP datagram ──► OverlayPacketFlyweight (§4.1 header) ──► FrameFlyweight (§4.2, one per frame)
 *                                                              │  addresses: AddressCodes (§3), AddressBook
 *                                                              ▼
 *                       FrameSecurity (§5: crypto_box open / Ed25519 verify) ──► PortHeader (§5) ──► data
 *                                                                                  │ port 2
 *                                                                                  ▼
 *                                                              LinkStateRecordFlyweight (§6)
 *  OverlayPacketWriter: header + frames, aggregated up to the MTU (the reverse path).
 * </pre>
 *
 * <p>Decoders never throw on bad input: every entry point returns a {@link org.clatter.mdp.codec.DecodeResult}
 * code, and {@link org.clatter.mdp.codec.CodecCounters} counts every outcome.
 */
package org.clatter.mdp.codec;
