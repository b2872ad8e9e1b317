package org.clatter.mdp.tools;

/** What a frame is, as {@code clatter overlay decode} counts it (the kinds of the conformance README's table). */
public enum FrameKind {
    PLEASE_EXPLAIN("please-explain"),
    SELFANNOUNCE_ACK("selfannounce-ack"),
    RHIZOME_ADVERT("rhizome-advert"),
    LINK_STATE_UNICAST("linkstate-unicast"),
    LINK_STATE_BROADCAST("linkstate-broadcast"),
    KEYMAP("keymap"),
    ECHO("echo"),
    TRACE("trace"),
    DNA_LOOKUP("dna-lookup"),
    SYNC_KEYS_TREE("sync-keys-tree"),
    RHIZOME_SYNC_BAR("rhizome-sync-bar"),
    MSP("msp"),
    DATA("data"),
    /** Crypted and not opened (no key for the recipient): the ports are unknown. */
    CRYPTED("crypted"),
    /** The frame did not decode; the result code says why. */
    MALFORMED("malformed");

    private final String label;

    FrameKind(String label) {
        this.label = label;
    }

    /** The lower-case name printed in reports. */
    public String label() {
        return label;
    }
}
