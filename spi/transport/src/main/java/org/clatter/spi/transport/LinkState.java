package org.clatter.spi.transport;

/** Lifecycle of a link, as a mesh messenger's transports report it. */
public enum LinkState {
    /** Closed or switched off; nothing flows and nothing will until it is opened again. */
    DISABLED,
    /** Coming up: a radio not yet answering, a Bluetooth link pairing. Sends return {@link SendResult#DOWN}. */
    ENABLING,
    /** Frames flow. */
    ACTIVE,
    /** Enabled but the medium is gone for now (out of range, cable out); may become active again by itself. */
    INACTIVE
}
