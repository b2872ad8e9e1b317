/** Implementation: the SQLite storage provider, the Salsa20 core and helpers. Not exported. */
package org.clatter.rhizome.internal;
