/**
 * Rhizome: Serval's signed, versioned, delay-tolerant bundles, as servald keeps them
 * ({@code ../shared/specs/serval-wire.md} §9–§11, {@code serval-rhizome-sync.md}).
 *
 * <ul>
 *   <li>{@link org.clatter.rhizome}: manifests (parse, validate, sign, verify, byte-exact), bundle secrets and
 *       the {@code BK} field, BARs and sync keys, the streaming payload cipher and file hash, and
 *       {@link org.clatter.rhizome.RhizomeStore}, the bundle store over the SQLite storage provider.</li>
 *   <li>{@link org.clatter.rhizome.meshms}: MeshMS2 plies and conversations.</li>
 *   <li>{@link org.clatter.rhizome.sync}: the sync-keys tree, its 10-byte record codec, the transfer message
 *       codec and the sans-I/O reconciliation engine.</li>
 *   <li>{@link org.clatter.rhizome.node}: {@link org.clatter.rhizome.node.RhizomeNode}, sync-keys on a running
 *       {@code MdpNode}: tree broadcasts on MDP port 18, transfers over MSP on port 18; and
 *       {@link org.clatter.rhizome.node.RhizomeNodeService}, which runs it in the node daemon.</li>
 *   <li>{@link org.clatter.rhizome.cli}: the {@code clatter rhizome ...} and {@code clatter meshms ...}
 *       commands, for {@code tools/cli} to wire in.</li>
 * </ul>
 *
 * <p>Provides {@link org.clatter.mdp.node.NodeService} {@code "rhizome"}: the node daemon ({@code clatter start})
 * syncs the instance's store with its neighbours and offers bundles other processes add to it.
 *
 * <p>Provides the default {@link org.clatter.spi.storage.StorageProvider}, {@code "sqlite"}: a manifest index
 * in SQLite ({@code org.xerial.sqlitejdbc}, which loads its bundled native library: run with
 * {@code --enable-native-access=org.xerial.sqlitejdbc}) and payloads in content-addressed files.
 */
module org.clatter.rhizome {
    requires transitive org.clatter.spi.storage;
    requires transitive org.clatter.spi.crypto;
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires transitive org.clatter.msp;

    uses org.clatter.spi.crypto.CryptoProvider;

    exports org.clatter.rhizome;
    exports org.clatter.rhizome.meshms;
    exports org.clatter.rhizome.sync;
    exports org.clatter.rhizome.cli;
    exports org.clatter.rhizome.node;

    provides org.clatter.spi.storage.StorageProvider with org.clatter.rhizome.internal.SqliteStorageProvider;
    provides org.clatter.mdp.node.NodeService with org.clatter.rhizome.node.RhizomeNodeService;
}
