package org.peermesh.mesh;

/**
 * Procedures every node serves itself, as lisk-p2p does; a request for one never reaches the application's
 * {@code rpc.<procedure>} consumers.
 */
public final class ProtocolProcedures {

  /** Answered with {@code {"peers": [{"host", "port"}, ...]}}, a sample of the peer book. */
  public static final String GET_PEERS = "getPeers";
  /** Answered with the node's nodeInfo object. */
  public static final String GET_NODE_INFO = "getNodeInfo";

  private ProtocolProcedures() {
  }

  static boolean isProtocolProcedure(String procedure) {
    return GET_PEERS.equals(procedure) || GET_NODE_INFO.equals(procedure);
  }
}
