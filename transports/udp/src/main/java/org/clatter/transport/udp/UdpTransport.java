package org.clatter.transport.udp;

import java.util.ArrayList;
import java.util.List;
import org.clatter.spi.transport.Link;
import org.clatter.spi.transport.Transport;
import org.clatter.spi.transport.TransportException;

/** Opens {@link UdpLink}s from specs such as {@code 127.1.0.1/24:4110}; closing it closes them. */
final class UdpTransport implements Transport {
    private final UdpSettings settings;
    private final List<UdpLink> links = new ArrayList<>();
    private boolean closed;

    UdpTransport(UdpSettings settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return UdpAddress.KIND;
    }

    @Override
    public Link open(String spec) {
        UdpLinkSpec parsed = UdpLinkSpec.parse(spec);
        synchronized (this) {
            if (closed) {
                throw new TransportException("this UDP transport is closed; create another from the provider");
            }
            UdpLink link = new UdpLink(this, parsed, settings);
            links.add(link);
            return link;
        }
    }

    synchronized void closed(UdpLink link) {
        links.remove(link);
    }

    @Override
    public void close() {
        List<UdpLink> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(links);
        }
        for (UdpLink l : open) {
            l.close();
        }
    }
}
