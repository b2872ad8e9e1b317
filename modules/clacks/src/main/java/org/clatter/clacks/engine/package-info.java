/** The sans-I/O Clacks gossip engine, its payload codec, peer table and optional Ed25519 signing (not exported). */
package org.clatter.clacks.engine;
