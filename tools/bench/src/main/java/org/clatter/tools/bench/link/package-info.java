/** Link wrappers shared by the benchmarks: forwarding, with frames relabelled as the wrapper's. */
package org.clatter.tools.bench.link;
