/**
 * The composition root of {@code clatter demo}: {@link org.clatter.tools.cli.demo.Demo#steps()} is the one list
 * of demo steps — MDP's ({@link org.clatter.mdp.cli.DemoCommand#steps()}), then the steps of the modules above
 * MDP (an MSP file transfer, {@link org.clatter.tools.cli.demo.MspFileStep}; Rhizome's go here too).
 */
package org.clatter.tools.cli.demo;
