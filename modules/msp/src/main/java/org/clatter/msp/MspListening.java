package org.clatter.msp;

/** A listening port; closing it stops accepting (connections already accepted carry on). */
public interface MspListening extends AutoCloseable {
    /** The address bound (an all-zero SID for every identity). */
    MspAddress local();

    @Override
    void close();
}
