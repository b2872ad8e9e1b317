package org.clatter.rhizome;

/** Bytes that are not a valid Rhizome manifest ({@code serval-wire.md} §9.1–§9.2); the message says which rule failed. */
public class ManifestException extends RhizomeException {
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }
}
