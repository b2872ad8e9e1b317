/**
 * Clacks load harness: one Clatter node against a real clacks-p2p 0.3.3 node in the same run (send rate, receive
 * rate, memory per queued message). Run with {@code ClacksBench}'s main; see its Javadoc.
 */
package org.clatter.tools.bench.clacks;
