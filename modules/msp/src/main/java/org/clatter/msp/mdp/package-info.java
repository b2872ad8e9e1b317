/**
 * MSP over MDP: each MSP packet is one crypted unicast MDP frame. {@link org.clatter.msp.mdp.MdpSocketLayer}
 * binds MSP's ports as sockets of an {@link org.clatter.mdp.node.MdpNode} (one port table for every service of
 * the node); {@link org.clatter.msp.mdp.MdpDatagramLayer} sits on a bare
 * {@link org.clatter.mdp.engine.MeshEngine} with its own port table. {@link org.clatter.msp.mdp.MspNode} runs an
 * {@link org.clatter.msp.MspEngine} on the node's engine thread: on an {@code MdpNode} (real or virtual time) or
 * on a {@link org.clatter.mdp.engine.MeshNode}.
 */
package org.clatter.msp.mdp;
