/**
 * Load harness for the MESH signal server ({@code org.clatter.signal}): joins per second and message relay latency
 * (p50/p99 from the intended send time, HdrHistogram) with 1,000 peers on one server and on three servers
 * clustered over NATS, each next to a raw TCP relay baseline measured in the same run. Plain main:
 * {@link org.clatter.tools.bench.signal.SignalLoad}.
 */
package org.clatter.tools.bench.signal;
