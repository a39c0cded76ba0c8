package org.peermesh.node;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.peermesh.config.ConfigException;

/**
 * A PeerMesh node as a verticle, for hosts that deploy verticles: {@code deployVerticle}, by instance or by its class
 * name, HA, or Vert.x's launcher. Its deployment config is the node's configuration, the same JSON as the config
 * file ({@code conf/node.json}); an empty config runs a node on the defaults.
 *
 * <pre>{@code
 * vertx.deployVerticle(new PeerMeshVerticle(), new DeploymentOptions().setConfig(json));
 * vertx.deployVerticle("org.peermesh.node.PeerMeshVerticle", new DeploymentOptions().setConfig(json));
 * }</pre>
 *
 * <p>A wrong configuration fails the deployment with the {@link ConfigException} naming every wrong key. Undeploying
 * the verticle stops the node.
 *
 * @see DeploymentOptions#setConfig
 */
public class PeerMeshVerticle extends VerticleBase {

  private volatile PeerMeshNode node;

  /**
   * Reads the node's options from {@link #config()} and starts the node on this verticle's Vert.x.
   *
   * @return completes when the node is running; fails with a {@link ConfigException} on a wrong configuration
   */
  @Override
  public Future<?> start() {
    // Read here rather than in the constructor: deployment by name instantiates the class before the config is known.
    NodeOptions options = new NodeOptions(config());
    node = PeerMeshNode.create(vertx, options);
    return node.start();
  }

  /**
   * Stops the node: its peers are told why they are disconnected before its verticles are undeployed.
   *
   * @return completes when the node has stopped
   */
  @Override
  public Future<?> stop() {
    return node == null ? Future.succeededFuture() : node.stop();
  }

  /**
   * The running node, for a caller that holds this instance (to send, request or list peers in Java rather than over
   * the event bus).
   *
   * @return the node; null until {@link #start()} has been called
   */
  public PeerMeshNode node() {
    return node;
  }
}
