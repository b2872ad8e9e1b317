/**
 * The MSP packet header: {@link org.clatter.msp.codec.MspHeader} decodes and writes the flags byte, the
 * little-endian 16-bit ack and seq numbers (spec {@code serval-wire.md} §8), and Clatter's selective
 * acknowledgement packet, which is only ever sent to a peer that announced itself as Clatter.
 */
package org.clatter.msp.codec;
