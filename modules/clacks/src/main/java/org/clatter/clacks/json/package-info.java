/**
 * A small, strictly bounded JSON reader and writer for Clacks payloads: strict UTF-8 in, ASCII-only JSON out
 * (every non-ASCII character escaped, which clacks-p2p needs, see the spec section 11), and errors returned as
 * values, never thrown.
 */
package org.clatter.clacks.json;
