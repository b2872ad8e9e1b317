/**
 * Clatter core: what every protocol engine and transport runs on.
 *
 * <ul>
 *   <li>{@code org.clatter.core.time}: clocks and schedulers, real and virtual (deterministic simulation);</li>
 *   <li>{@code org.clatter.core.buffer}: preallocated packet buffers on {@link java.lang.foreign.MemorySegment};</li>
 *   <li>{@code org.clatter.core.pipeline}: the LMAX Disruptor pipeline, inbound ring fed by transports and
 *       outbound ring drained by links;</li>
 *   <li>{@code org.clatter.core.metrics}: counters and the de-duplicating error log;</li>
 *   <li>{@code org.clatter.core.provider}: provider selection for every SPI.</li>
 * </ul>
 */
module org.clatter.core {
    requires transitive org.clatter.spi.transport;
    requires transitive com.lmax.disruptor;

    exports org.clatter.core.time;
    exports org.clatter.core.buffer;
    exports org.clatter.core.pipeline;
    exports org.clatter.core.metrics;
    exports org.clatter.core.provider;
}
