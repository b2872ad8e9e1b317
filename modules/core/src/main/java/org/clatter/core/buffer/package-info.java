/**
 * Packet buffers on {@link java.lang.foreign.MemorySegment}: a {@link org.clatter.core.buffer.BufferPool}
 * carves one {@link java.lang.foreign.Arena} allocation into fixed-size, aligned
 * {@link org.clatter.core.buffer.PacketBuffer}s at start-up, each with its segment slice and
 * {@link java.nio.ByteBuffer} view made once, so the data path allocates nothing per packet.
 *
 * <p>{@link org.clatter.core.buffer.Bytes} holds the static, bounds-checked accessors (u8/u16/u32/u64 in big
 * and little endian, byte[] copies) on any segment that protocol flyweights build on.
 */
package org.clatter.core.buffer;
