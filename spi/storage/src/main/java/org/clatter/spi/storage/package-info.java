/** Storage service interfaces: {@link org.clatter.spi.storage.StorageProvider} and the stores it opens. */
package org.clatter.spi.storage;
