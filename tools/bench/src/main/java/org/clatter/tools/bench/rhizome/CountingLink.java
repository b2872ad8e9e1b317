package org.clatter.tools.bench.rhizome;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.LinkAddress;
import org.clatter.spi.transport.SendResult;
import org.clatter.tools.bench.link.ForwardingLink;

/**
 * A link that counts the UDP payload bytes and datagrams it hands to the kernel (the UDP transport's own
 * counters have datagrams but not bytes). On the wire each datagram also carries {@value #HEADER_BYTES} bytes of
 * headers as loopback counts them (Ethernet 14, IPv4 20, UDP 8).
 */
final class CountingLink extends ForwardingLink {
    /** Header bytes per datagram on loopback, as {@code ip -s link show lo} counts them. */
    static final int HEADER_BYTES = 14 + 20 + 8;

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();

    CountingLink(Link link) {
        super(link);
    }

    long bytes() {
        return bytes.get();
    }

    long datagrams() {
        return datagrams.get();
    }

    /** Bytes on the wire: payloads plus headers. */
    long wireBytes() {
        return bytes.get() + datagrams.get() * HEADER_BYTES;
    }

    private int counted(int result, int length) {
        if (result == SendResult.SENT) {
            bytes.addAndGet(length);
            datagrams.incrementAndGet();
        }
        return result;
    }

    @Override
    public int send(LinkAddress destination, MemorySegment frame, long offset, int length) {
        return counted(link.send(destination, frame, offset, length), length);
    }

    @Override
    public int broadcast(MemorySegment frame, long offset, int length) {
        return counted(link.broadcast(frame, offset, length), length);
    }
}
