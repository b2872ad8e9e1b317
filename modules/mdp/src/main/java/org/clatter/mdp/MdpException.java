package org.clatter.mdp;

/** A misuse or an unusable input in the MDP API (bad key text, wrong PIN, missing provider); the message says what to do. */
public class MdpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MdpException(String message) {
        super(message);
    }

    public MdpException(String message, Throwable cause) {
        super(message, cause);
    }
}
