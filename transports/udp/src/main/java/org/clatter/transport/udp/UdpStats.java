package org.clatter.transport.udp;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters of one link, written by its sending and receiving threads; see {@link UdpLinkCounters}. */
final class UdpStats {
    final AtomicLong received = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong ownBroadcasts = new AtomicLong();
    final AtomicLong backPressured = new AtomicLong();
    final AtomicLong receiveErrors = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();
    final AtomicLong copiedSends = new AtomicLong();
    final AtomicLong gsoSends = new AtomicLong();
    final AtomicLong gsoSegments = new AtomicLong();
    final AtomicLong gsoFallbacks = new AtomicLong();
    final AtomicLong groReceives = new AtomicLong();
    final AtomicLong groSegments = new AtomicLong();
    final AtomicLong groMalformed = new AtomicLong();

    UdpLinkCounters snapshot(boolean nativeSocket) {
        return new UdpLinkCounters(received.get(), sent.get(), ownBroadcasts.get(), backPressured.get(),
                receiveErrors.get(), sendErrors.get(), copiedSends.get(), gsoSends.get(), gsoSegments.get(),
                gsoFallbacks.get(), groReceives.get(), groSegments.get(), groMalformed.get(), nativeSocket);
    }
}
