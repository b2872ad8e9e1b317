package org.clatter.clacks.engine;

/** Ed25519 over a message's signed bytes; {@link Ed25519Signer} implements it with the crypto SPI. */
public interface MessageSigner {

    /** This node's public key, 64 hex digits. */
    String publicKeyHex();

    /** The signature of {@code data}, 128 hex digits. */
    String sign(byte[] data);

    /** True if {@code sigHex} is {@code pubHex}'s signature of {@code data}; never throws. */
    boolean verify(String pubHex, byte[] data, String sigHex);

    /** What is signed: {@code "clacks-v1" 0x00 id 0x00 message-json}. */
    static byte[] signedBytes(String id, byte[] messageJson) {
        byte[] prefix = ("clacks-v1\0" + id + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + messageJson.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(messageJson, 0, out, prefix.length, messageJson.length);
        return out;
    }
}
