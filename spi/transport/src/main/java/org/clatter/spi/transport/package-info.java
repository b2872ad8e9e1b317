/**
 * Transport service interfaces: {@link org.clatter.spi.transport.TransportProvider},
 * {@link org.clatter.spi.transport.Transport}, {@link org.clatter.spi.transport.Link} and the receive path
 * {@link org.clatter.spi.transport.FrameSink} / {@link org.clatter.spi.transport.FrameSlot}.
 */
package org.clatter.spi.transport;
