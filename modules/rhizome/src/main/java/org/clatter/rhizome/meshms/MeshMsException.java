package org.clatter.rhizome.meshms;

import org.clatter.rhizome.RhizomeException;

/** A MeshMS operation could not be done; the message says why and what to do. */
public class MeshMsException extends RhizomeException {
    private static final long serialVersionUID = 1L;

    public MeshMsException(String message) {
        super(message);
    }
}
