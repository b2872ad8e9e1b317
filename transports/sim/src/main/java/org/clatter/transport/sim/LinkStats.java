package org.clatter.transport.sim;

/**
 * What happened to the frames sent over one direction of a simulated link (or, from
 * {@link SimNetwork#totals()}, over all of them).
 *
 * @param sent       frames handed to the link (unicast and broadcast)
 * @param delivered  frames written into the receiver's sink (duplicates included)
 * @param lost       frames lost to the loss probability, a cut or a partition
 * @param duplicated extra copies scheduled by the duplication probability
 * @param dropped    frames refused or undeliverable: over the link's MTU, queue full, receiver not listening
 */
public record LinkStats(long sent, long delivered, long lost, long duplicated, long dropped) {

    LinkStats plus(LinkStats o) {
        return new LinkStats(sent + o.sent, delivered + o.delivered, lost + o.lost, duplicated + o.duplicated,
                dropped + o.dropped);
    }
}
