/**
 * The abstract transport conformance suite and its recording frame sink; see the module documentation and
 * {@code README.md} for how a plugin runs it.
 */
package org.clatter.transport.tck;
