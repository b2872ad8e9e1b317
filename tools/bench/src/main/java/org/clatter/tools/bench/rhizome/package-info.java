/** Rhizome benchmarks: sync between two Clatter nodes over loopback UDP, imports per second, and one sync round between million-bundle stores ({@link org.clatter.tools.bench.rhizome.RhizomeSyncBench}). */
package org.clatter.tools.bench.rhizome;
