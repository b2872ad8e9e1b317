package org.clatter.signal;

/**
 * A snapshot of a server's counters.
 *
 * @param connectionsOpen      WebSocket connections open now
 * @param connectionsTotal     connections accepted since start
 * @param swarms               swarms with local members now
 * @param messagesRelayed      SendMessage calls delivered locally or handed to the bus
 * @param messagesUndeliverable messages for a recipient with no live inbox here (and no bus)
 * @param protocolErrors       connections closed for breaking RFC 6455 or sending undecodable dxRPC
 * @param invalidRequests      requests answered with an error (bad payload, unknown method)
 * @param rateLimited          requests answered with {@code RATE_LIMIT_EXCEEDED} or {@code PAYLOAD_TOO_LARGE}
 * @param unauthorized         requests refused because the peer key was not proven
 * @param textPingsIgnored     text frames ({@code __ping__}) ignored
 * @param busDropped           publications the bus could not take (disconnected, too large)
 * @param busRejected          bus messages that could not be decoded
 */
public record SignalMetrics(long connectionsOpen, long connectionsTotal, long swarms, long messagesRelayed,
                            long messagesUndeliverable, long protocolErrors, long invalidRequests, long rateLimited,
                            long unauthorized, long textPingsIgnored, long busDropped, long busRejected) {

    /** The counters as {@code name value} lines (the server's {@code /metrics} page). */
    public String toText() {
        return "signal_connections_open " + connectionsOpen + "\n"
                + "signal_connections_total " + connectionsTotal + "\n"
                + "signal_swarms " + swarms + "\n"
                + "signal_messages_relayed " + messagesRelayed + "\n"
                + "signal_messages_undeliverable " + messagesUndeliverable + "\n"
                + "signal_protocol_errors " + protocolErrors + "\n"
                + "signal_invalid_requests " + invalidRequests + "\n"
                + "signal_rate_limited " + rateLimited + "\n"
                + "signal_unauthorized " + unauthorized + "\n"
                + "signal_text_pings_ignored " + textPingsIgnored + "\n"
                + "signal_bus_dropped " + busDropped + "\n"
                + "signal_bus_rejected " + busRejected + "\n";
    }
}
