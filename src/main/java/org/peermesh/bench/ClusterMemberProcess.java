package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.cluster.ClusteredVertx;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Member A of the cluster scenario's node, in a JVM of its own ({@link ChildJvm}): joins the Hazelcast cluster
 * named on its command line, starts a PeerMesh member on the shared key file, and relays the event-bus baseline's
 * messages. Prints {@code ready HOST PORT} (where its member listens for peers) once all that runs, and stops when
 * its standard input closes.
 *
 * <p>Arguments: {@code CLUSTER_NAME HAZELCAST_PORT MEMBER_PORT,MEMBER_PORT... KEY_FILE}.
 */
public final class ClusterMemberProcess {

  static final String READY = "ready ";
  /** The one bus prefix of the two members: they are one node. */
  static final String BUS_PREFIX = "cluster";
  /** Where the event-bus baseline sends to this JVM, and where this JVM sends each message back. */
  static final String RELAY = "bench.relay";
  static final String RELAYED = "bench.relayed";

  private ClusterMemberProcess() {
  }

  public static void main(String[] args) throws IOException {
    List<Integer> memberPorts = Arrays.stream(args[2].split(",")).map(Integer::valueOf).toList();
    Vertx vertx = BenchNodes.await(ClusteredVertx.start(
        ClusteredVertx.localConfig(args[0], Integer.parseInt(args[1]), memberPorts), new ClusterOptions()));
    try (BenchNodes nodes = new BenchNodes(vertx)) {
      PeerMeshNode member = nodes.start(memberOptions(nodes, args[3]));
      BenchNodes.await(relay(vertx.eventBus()));
      PeerAddress listen = member.listenAddress();
      System.out.println(READY + listen.host() + " " + listen.port());
      while (System.in.read() != -1) {
        // Nothing is asked of a member on its standard input but to stop, when it closes.
      }
    } finally {
      BenchNodes.await(vertx.close());
    }
  }

  /**
   * What each member of the node starts with, over {@link BenchNodes#options()}: the shared key and bus prefix, the
   * cluster's default event bus on 127.0.0.1, and no outbound connections, so that the only connection to a remote
   * node is the one it dials itself and the member it dialed holds it.
   */
  static NodeOptions memberOptions(BenchNodes nodes, String keyFile) {
    NodeOptions options = nodes.options()
        .setBusPrefix(BUS_PREFIX)
        .setKeyFile(keyFile)
        .setCluster(new ClusterOptions());
    options.getMesh().setMaxOutbound(0);
    return options;
  }

  /**
   * This JVM's half of the event-bus baseline: each message sent to {@link #RELAY} goes on to {@link #RELAYED} and is
   * then acknowledged, as member A's peer verticle writes a message to its peer and then acknowledges the command.
   */
  private static Future<Void> relay(EventBus eventBus) {
    return eventBus.<String>consumer(RELAY, message -> {
      eventBus.send(RELAYED, message.body());
      message.reply(null);
    }).completion();
  }
}
