/**
 * The MDP node commands, each a class with {@code static int run(String[] args, InputStream in, PrintStream out,
 * PrintStream err)}: {@link org.clatter.mdp.cli.KeyringCommand}, {@link org.clatter.mdp.cli.StartCommand},
 * {@link org.clatter.mdp.cli.RunCommand}, {@link org.clatter.mdp.cli.StopCommand},
 * {@link org.clatter.mdp.cli.StatusCommand}, {@link org.clatter.mdp.cli.IdCommand},
 * {@link org.clatter.mdp.cli.RouteCommand}, {@link org.clatter.mdp.cli.MdpCommand}, {@link org.clatter.mdp.cli.DnaCommand} and
 * {@link org.clatter.mdp.cli.DemoCommand}.
 */
package org.clatter.mdp.cli;
