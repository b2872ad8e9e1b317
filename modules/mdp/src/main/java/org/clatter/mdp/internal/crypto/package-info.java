/** Primitives the crypto SPI does not offer: the raw XSalsa20 stream (servald's keyring slots use it). */
package org.clatter.mdp.internal.crypto;
