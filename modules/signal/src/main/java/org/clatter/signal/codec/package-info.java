/**
 * Protobuf wire codec for {@code dxos.rpc} and {@code dxos.mesh.signal} (spec {@code dxos-signal.md} §1–§2),
 * written by hand: {@link org.clatter.signal.codec.ProtoReader} and {@link org.clatter.signal.codec.ProtoWriter}
 * handle varints and length-delimited fields with strict bounds, unknown fields are skipped, and every
 * malformed input ends in a {@link org.clatter.signal.codec.ProtoException}.
 */
package org.clatter.signal.codec;
