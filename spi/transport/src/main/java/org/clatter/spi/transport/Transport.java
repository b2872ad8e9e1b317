package org.clatter.spi.transport;

/**
 * A running transport of one kind: a factory of links over one medium. Closing it closes its links.
 */
public interface Transport extends AutoCloseable {

    /** The provider name this transport came from, e.g. {@code "udp"}. */
    String kind();

    /**
     * Opens a link (an interface) from a transport-specific specification, e.g. for UDP
     * {@code "127.1.0.1/24:4110"}, for the simulated network a node name. The link starts in
     * {@link LinkState#ENABLING} or {@link LinkState#ACTIVE}; frames flow once {@link Link#start} is called.
     *
     * @throws TransportException when the specification is malformed or the link cannot be opened
     */
    Link open(String spec);

    /** Closes every link of this transport; never throws. */
    @Override
    void close();
}
