/**
 * Command logic for {@code clatter rhizome ...} ({@link org.clatter.rhizome.cli.RhizomeCommand}) and
 * {@code clatter meshms ...} ({@link org.clatter.rhizome.cli.MeshmsCommand}); {@code tools/cli} wires them in.
 */
package org.clatter.rhizome.cli;
