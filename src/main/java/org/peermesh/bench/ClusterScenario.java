package org.peermesh.bench;

import io.vertx.core.Vertx;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.util.List;

/**
 * {@code cluster}: {@code sendToPeer} issued on member B of a clustered node and delivered to a remote node R that
 * member A holds, A in a JVM of its own. B routes the command over its copy of the cluster's directory and sends it
 * to R's mailbox on A over the clustered event bus; A writes it to R and acknowledges; R, in this JVM, publishes it
 * to a consumer that meters it. Three pairs of figures, each msg/s delivered and the p99 latency from the call:
 *
 * <ul>
 *   <li>{@code single-send}: the same command on a node in one JVM to a remote node that dialed it, as R dials A:
 *   what the cluster hop costs, shown beside it rather than as its baseline;</li>
 *   <li>{@code eventbus-cross-jvm}: the bare clustered event bus over the same JVM boundary, the baseline. This JVM
 *   sends each message as a request to a consumer in A's JVM, which sends it back to a consumer here and then
 *   replies, as A's peer verticle writes to R and then acknowledges. So both paths cross to A's JVM with a request,
 *   come back with its reply and come back once more with the message, under the same window and with the same
 *   payload string. The message's way back is the event bus here and PeerMesh's wire protocol to R there: the
 *   fairest equivalent that keeps both ends on this JVM's clock, and the only difference left is PeerMesh's own work
 *   (the command, the directory, the mailbox codec, the frame and its decoding at R);</li>
 *   <li>{@code cluster-send}: the cluster-routed send, against the baseline.</li>
 * </ul>
 */
public final class ClusterScenario implements Scenario {

  private static final String EVENT = "bench";

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public String description() {
    return "sendToPeer issued on member B delivered to a peer held by member A (another JVM), msg/s and p99, "
        + "against the cross-JVM event bus and beside the same command on a single JVM";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BenchNodes nodes = new BenchNodes(vertx)) {
      double[][] single = singleJvm(nodes).measure(options, log);
      double[][] eventBus;
      double[][] cluster;
      try (TwoMemberNode node = new TwoMemberNode(nodes.file("cluster-node.key"), log)) {
        eventBus = crossJvmEventBus(node).measure(options, log);
        cluster = clusterRouted(node, nodes).measure(options, log);
      }
      return List.of(
          rate("single-send", single), p99("single-send", single),
          rate("eventbus-cross-jvm", eventBus), p99("eventbus-cross-jvm", eventBus),
          rate("cluster-send", cluster).against("eventbus-cross-jvm"),
          p99("cluster-send", cluster).against("eventbus-cross-jvm-p99"));
    } finally {
      BenchNodes.await(vertx.close());
    }
  }

  /** A node N in this JVM sending to a remote node that dialed it, as R dials member A. */
  private static SendPath singleJvm(BenchNodes nodes) {
    PeerMeshNode node = nodes.start(nodes.options());
    PeerMeshNode remote = nodes.startConnectedTo(node);
    return SendPath.sendToPeer("single-send", SendPath.WINDOW, EVENT, node, nodes.vertx(), remote, nodes.vertx());
  }

  private static SendPath crossJvmEventBus(TwoMemberNode node) {
    Vertx vertx = node.vertxB();
    return new SendPath("eventbus-cross-jvm", SendPath.WINDOW, vertx,
        data -> vertx.eventBus().request(ClusterMemberProcess.RELAY, data),
        List.of(new SendPath.Receiver(vertx, ClusterMemberProcess.RELAYED)), body -> (String) body);
  }

  /** Member B sending to a remote node that dialed member A, once B's directory lists it. */
  private static SendPath clusterRouted(TwoMemberNode node, BenchNodes nodes) {
    PeerMeshNode memberB = node.memberB();
    NodeOptions remoteOptions = nodes.options();
    remoteOptions.getMesh().setSeedPeers(List.of(node.listenA()));
    PeerMeshNode remote = nodes.start(remoteOptions);
    BenchNodes.awaitConnected(remote, memberB);
    BenchNodes.awaitConnected(memberB, remote);
    return SendPath.sendToPeer("cluster-send", SendPath.WINDOW, EVENT, memberB, node.vertxB(), remote, nodes.vertx());
  }

  private static Figure rate(String name, double[][] measured) {
    return Figure.rate(name, "msg/s", measured[0]);
  }

  private static Figure p99(String name, double[][] measured) {
    return Figure.latency(name + "-p99", "us", measured[1]);
  }
}
