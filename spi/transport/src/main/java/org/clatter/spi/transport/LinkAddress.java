package org.clatter.spi.transport;

/**
 * A link-layer address: where a frame came from, or where to send one. Implementations are immutable
 * values with {@code equals}/{@code hashCode}, and {@link #toString()} prints the form
 * {@link Link#parseAddress(String)} reads. Transports intern addresses so that receiving from a known peer
 * allocates nothing.
 */
public interface LinkAddress {

    /** The transport kind this address belongs to, e.g. {@code "udp"}. */
    String kind();

    /** The address as bytes, as it would appear in a Serval interface address record (may be empty). */
    byte[] toBytes();
}
