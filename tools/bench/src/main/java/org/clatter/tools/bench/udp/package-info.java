/**
 * UDP loopback benchmark: frames through the UDP transport into the pipeline's inbound ring, against a bare
 * {@code DatagramChannel} loop in the same run ({@link org.clatter.tools.bench.udp.UdpLoopbackBenchmark}).
 */
package org.clatter.tools.bench.udp;
