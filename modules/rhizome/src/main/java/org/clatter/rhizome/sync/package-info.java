/**
 * Rhizome sync-keys ({@code serval-rhizome-sync.md}): the key trie with XOR summaries
 * ({@link org.clatter.rhizome.sync.SyncTree}), the 10-byte tree record codec
 * ({@link org.clatter.rhizome.sync.TreeRecord}), transfer messages ({@link org.clatter.rhizome.sync.TransferCodec})
 * and the sans-I/O reconciliation engine ({@link org.clatter.rhizome.sync.SyncEngine}).
 */
package org.clatter.rhizome.sync;
