/**
 * Pipeline benchmarks: inbound ring publish-to-consume throughput ({@link
 * org.clatter.tools.bench.pipeline.InboundRingBenchmark}) and the full hop inbound ring, handler, outbound
 * ring, null link ({@link org.clatter.tools.bench.pipeline.PipelineHopBenchmark}), each with an
 * {@link java.util.concurrent.ArrayBlockingQueue} hand-off baseline in the same run.
 */
package org.clatter.tools.bench.pipeline;
