package org.peermesh.http;

import org.peermesh.bus.BusAddresses;
import org.peermesh.peer.PoolView;

import java.util.List;
import java.util.Map;

/**
 * What the node's HTTP routes read of the node: whether it runs, who it is, its protocols' pools, and its cluster.
 */
public interface NodeStatus {

  /** The node's peer id; null for a node without the mesh, which has no key. */
  String peerId();

  /** The node's event-bus addresses. */
  BusAddresses addresses();

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

  /** This member's id among {@link #clusterMembers}; null when the node is not clustered. */
  String memberId();
}
