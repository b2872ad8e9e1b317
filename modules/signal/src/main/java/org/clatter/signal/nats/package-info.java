/**
 * A small client for the NATS text protocol (INFO, CONNECT, PUB, SUB, UNSUB, MSG, PING, PONG, +OK, -ERR) with
 * reconnection and re-subscription: the shared bus between clustered signal servers. Written here so the module
 * has no non-modular dependency.
 */
package org.clatter.signal.nats;
