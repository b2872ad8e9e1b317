/**
 * Rhizome sync-keys ({@code serval-rhizome-sync.md}): the key trie with XOR summaries
 * ({@link org.clatter.rhizome.sync.SyncTree}), the 10-byte tree record codec
 * ({@link org.clatter.rhizome.sync.TreeRecord}), transfer messages ({@link org.clatter.rhizome.sync.TransferCodec})
 * and the sans-I/O reconciliation engine ({@link org.clatter.rhizome.sync.SyncEngine}), with its transfer progress
 * ({@link org.clatter.rhizome.sync.SyncProgress}, rate and ETA from {@link org.clatter.rhizome.sync.ProgressMeter}).
 * For simulations and benchmarks: {@link org.clatter.rhizome.sync.MemorySyncStore} and
 * {@link org.clatter.rhizome.sync.EnginePair}.
 */
package org.clatter.rhizome.sync;
