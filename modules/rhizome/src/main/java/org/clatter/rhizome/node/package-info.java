/**
 * Rhizome on a running MDP node: {@link org.clatter.rhizome.node.RhizomeNode} carries the sync-keys engine's tree
 * messages as port-18 broadcasts and its transfers over MSP streams on port 18.
 */
package org.clatter.rhizome.node;
