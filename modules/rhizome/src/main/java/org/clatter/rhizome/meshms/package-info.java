/**
 * MeshMS2: one-to-one conversations kept as encrypted journal bundles of plies ({@code serval-wire.md} §10).
 * {@link org.clatter.rhizome.meshms.PlyCodec} reads and writes ply records;
 * {@link org.clatter.rhizome.meshms.MeshMs} sends and lists over a {@link org.clatter.rhizome.RhizomeStore}.
 */
package org.clatter.rhizome.meshms;
