/**
 * MSP stream throughput ({@code MspThroughputBench}, a plain main): the window-of-4 servald mode against Clatter's
 * large window with selective acks, at 0/1/5/10% injected loss, on a simulated bottleneck link (virtual time) and
 * over raw UDP on loopback (wall clock), each next to its same-run baselines.
 */
package org.clatter.tools.bench.msp;
