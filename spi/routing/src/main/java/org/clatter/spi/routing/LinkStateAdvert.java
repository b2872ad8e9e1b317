package org.clatter.spi.routing;

/**
 * One link another node advertises: {@code from} hears {@code to} (via {@code transmitter}) with the given
 * drop rate. Serval's link-state records carry exactly this.
 *
 * @param from           the advertising node (the receiver of the link)
 * @param to             the node heard
 * @param transmitter    the node whose transmissions {@code from} hears on the way to {@code to}
 *                       ({@code to} itself for a direct link)
 * @param dropRate       0 (perfect) .. 1 (no delivery), as measured by {@code from}
 * @param version        the advertiser's link version, to ignore stale adverts
 * @param observedAtNanos when we received the advert
 */
public record LinkStateAdvert(
        NodeId from,
        NodeId to,
        NodeId transmitter,
        double dropRate,
        int version,
        long observedAtNanos) {
}
