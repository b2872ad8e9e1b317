package org.clatter.transport.sim;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.TransportException;

/**
 * A node's address on the simulated network: its name. The broadcast address is {@code *}. Text form: the
 * name itself.
 */
public final class SimAddress implements LinkAddress {
    /** The kind of every simulated address and link. */
    public static final String KIND = "sim";
    /** The broadcast address. */
    public static final SimAddress BROADCAST = new SimAddress("*");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:,-]{1,64}");

    private final String node;
    private final byte[] bytes;

    private SimAddress(String node) {
        this.node = node;
        this.bytes = node.getBytes(StandardCharsets.UTF_8);
    }

    /** The address of node {@code name}. */
    public static SimAddress of(String name) {
        checkName(name);
        return new SimAddress(name);
    }

    /**
     * Parses the text form: a node name or {@code *}.
     *
     * @throws TransportException if the text is not a valid node name
     */
    public static SimAddress parse(String text) {
        if ("*".equals(text)) {
            return BROADCAST;
        }
        if (text == null || !NAME.matcher(text).matches()) {
            throw new TransportException("not a simulated-network address: '" + text
                    + "'; use a node name of 1-64 characters from A-Z a-z 0-9 . _ : , - (or * for broadcast)");
        }
        return new SimAddress(text);
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad node name '" + name
                    + "': use 1-64 characters from A-Z a-z 0-9 . _ : , -");
        }
    }

    /** The node name ({@code *} for broadcast). */
    public String node() {
        return node;
    }

    public boolean isBroadcast() {
        return this == BROADCAST || "*".equals(node);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimAddress s && s.node.equals(node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    @Override
    public String toString() {
        return node;
    }
}
