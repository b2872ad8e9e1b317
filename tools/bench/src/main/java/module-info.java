/**
 * Clatter's JMH benchmarks: the pipeline hop ({@code org.clatter.tools.bench.pipeline}), and, added by their
 * owners, crypto ({@code .crypto}) and UDP loopback ({@code .udp}). Every benchmark reports next to a
 * baseline measured in the same run and checks its own result. Built into {@code target/clatter-benchmarks.jar}
 * and run on the class path with {@code tools/bench/run}; not part of the jlink image.
 */
module org.clatter.tools.bench {
    requires org.clatter.core;
    requires org.clatter.transport.udp;
    requires org.clatter.crypto;
    requires org.clatter.msp;
    requires org.clatter.clacks;
    requires org.clatter.signal;
    requires org.clatter.mdp;
    requires org.clatter.rhizome;
    requires java.net.http;
    requires java.management;
    requires org.bouncycastle.provider;
    requires jmh.core;
    requires HdrHistogram;

    exports org.clatter.tools.bench.pipeline;
    exports org.clatter.tools.bench.udp;
    exports org.clatter.tools.bench.crypto;
    exports org.clatter.tools.bench.msp;
    exports org.clatter.tools.bench.clacks;
    exports org.clatter.tools.bench.signal;
    exports org.clatter.tools.bench.mdp;
    exports org.clatter.tools.bench.rhizome;
    exports org.clatter.tools.bench.link;
}
