package org.peermesh.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.PeerInfo;
import org.peermesh.routing.PeerStream;
import org.peermesh.selection.PeerSelection;

import java.util.List;

/**
 * A PeerMesh node: lisk-p2p's API on Vert.x. Every method that talks to peers goes through the node's event-bus
 * commands ({@link BusAddresses}), so a Java caller and a service in another JVM or language get the same
 * behaviour; in the JVM the commands travel by reference, never as JSON.
 *
 * <p>Message and request data is any JSON value: a {@link JsonObject}, a {@link io.vertx.core.json.JsonArray}, a
 * String, a Number, a Boolean or null.
 */
public interface PeerMeshNode {

  static PeerMeshNode create(Vertx vertx, NodeOptions options) {
    return create(vertx, options, PeerSelection.defaults());
  }

  /** A node whose send, request and connection selection are the caller's own. */
  static PeerMeshNode create(Vertx vertx, NodeOptions options, PeerSelection selection) {
    return new DefaultPeerMeshNode(vertx, options, selection);
  }

  /** Loads or creates the node key, listens, dials the configured peers; completes when the node is running. */
  Future<Void> start();

  /** Disconnects every peer with a reason, stops listening and undeploys the node's verticles. */
  Future<Void> stop();

  boolean isActive();

  /** A copy of the options the node was created with. */
  NodeOptions config();

  /** The node's id, derived from its public key; known once {@link #start} has loaded the key. */
  String peerId();

  /** The address the node listens on, with the actual port; known once started. */
  PeerAddress listenAddress();

  /**
   * Where the {@code http} section's server ({@code /metrics}, {@code /health}, the mesh view) listens, with the port
   * actually bound; null when the config has no {@code http} section or the node is not started.
   */
  PeerAddress httpAddress();

  /**
   * Where inbound peers of a protocol ({@code "mesh"}, {@code "bitcoin"}) connect, with the port actually bound; null
   * when the node does not run that protocol or it does not listen.
   */
  PeerAddress listenAddress(String protocol);

  /**
   * The peers of a protocol ({@code "mesh"}, {@code "bitcoin"}), each as {@code <prefix>.<protocol>.command.peers}
   * lists it: those this JVM holds, in every state, and in a clustered node the connected ones of the other members;
   * empty when the node does not run that protocol.
   */
  List<JsonObject> peers(String protocol);

  BusAddresses addresses();

  /** The nodeInfo this node shows its peers now. */
  JsonObject nodeInfo();

  /** Replaces this node's nodeInfo and pushes it to every connected peer. */
  Future<Void> applyNodeInfo(JsonObject nodeInfo);

  Future<List<PeerInfo>> getConnectedPeers();

  /** Peers once connected or configured, that are not connected now. */
  Future<List<PeerInfo>> getDisconnectedPeers();

  /** Sends to up to {@code sendPeerLimit} (16) peers chosen by the send selection; completes with their ids. */
  Future<List<String>> send(String event, Object data);

  /** Sends to every connected peer; completes with their ids. */
  Future<List<String>> broadcast(String event, Object data);

  /** One peer chosen by the request selection answers; completes with its answer. */
  Future<Object> request(String procedure, Object data);

  /**
   * Sends to the named peer; completes once its verticle has queued the message, or, while the peer's socket is
   * backed up, once it drains: a sender that keeps a bounded number of these futures open goes at the peer's pace.
   */
  Future<Void> sendToPeer(String peerId, String event, Object data);

  /** The named peer answers; completes with its answer. */
  Future<Object> requestFromPeer(String peerId, String procedure, Object data);

  /**
   * A stream of messages to the named peer, the way to send many: batched per event-loop turn, flow-controlled by
   * credit instead of acknowledged one by one ({@link PeerStream}). Create and use it on one context.
   *
   * @throws IllegalStateException if the node is not running
   */
  PeerStream streamToPeer(String peerId);
}
