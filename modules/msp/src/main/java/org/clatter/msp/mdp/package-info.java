/**
 * MSP over MDP: {@link org.clatter.msp.mdp.MdpDatagramLayer} carries each MSP packet in one crypted unicast MDP
 * frame of a {@link org.clatter.mdp.engine.MeshEngine}; {@link org.clatter.msp.mdp.MspNode} runs an
 * {@link org.clatter.msp.MspEngine} on a {@link org.clatter.mdp.engine.MeshNode}'s engine thread.
 */
package org.clatter.msp.mdp;
