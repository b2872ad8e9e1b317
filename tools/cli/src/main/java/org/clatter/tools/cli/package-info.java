/** The {@code clatter} command line: {@link org.clatter.tools.cli.Clatter} dispatches to {@link org.clatter.tools.cli.Command}s. */
package org.clatter.tools.cli;
