/**
 * UDP loopback benchmark: frames through the UDP transport into the pipeline's inbound ring, against a bare
 * {@code DatagramChannel} loop in the same run. {@link org.clatter.tools.bench.udp.UdpLoopbackBenchmark} is a
 * plain {@code main} that prints packets/s for both and the per-round ratio
 * ({@code java -cp tools/bench/target/clatter-benchmarks.jar org.clatter.tools.bench.udp.UdpLoopbackBenchmark});
 * {@link org.clatter.tools.bench.udp.UdpLoopbackJmh} is the same loop under JMH
 * ({@code tools/bench/run -f 1 -wi 2 -i 3 -w 1 -r 1 UdpLoopbackJmh}).
 */
package org.clatter.tools.bench.udp;
