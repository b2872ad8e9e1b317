/**
 * The MDP node runtime: {@link org.clatter.mdp.node.MdpNode} drives a {@link org.clatter.mdp.engine.MeshEngine} on
 * real time (an engine thread over UDP links) or on virtual time (the simulated network), the sockets API
 * ({@link org.clatter.mdp.node.MdpSockets}, {@link org.clatter.mdp.node.MdpSocket}) with the trace (8) and DNA
 * lookup (10) services, the instance directory ({@link org.clatter.mdp.node.Instance}) and the local control
 * channel ({@link org.clatter.mdp.node.ControlServer}, {@link org.clatter.mdp.node.ControlClient}).
 */
package org.clatter.mdp.node;
