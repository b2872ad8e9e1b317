package org.clatter.spi.transport;

/** Told when a link changes state. */
@FunctionalInterface
public interface LinkStateListener {
    void stateChanged(Link link, LinkState previous, LinkState current);
}
