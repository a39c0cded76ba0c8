package org.peermesh.http;

import org.peermesh.peer.PoolView;

import java.util.List;
import java.util.Map;

/** What the node's HTTP routes read of the node: whether it runs, its protocols' pools, and its cluster. */
public interface NodeStatus {

  /** Whether the node is started and not stopping. */
  boolean isActive();

  /** The pool of every protocol the node runs, the mesh's included, by protocol name. */
  Map<String, PoolView> pools();

  /** Whether this node is one member of a node clustered over several JVMs. */
  boolean isClustered();

  /**
   * The ids of the cluster's members as this member sees them, itself included; empty when the node is not clustered
   * or this member has left its cluster.
   */
  List<String> clusterMembers();
}
