package org.peermesh.bench;

import io.vertx.core.Vertx;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.cluster.ClusteredVertx;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.PeerMeshNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A PeerMesh node of two cluster members: member A in a child JVM ({@link ClusterMemberProcess}), member B on a
 * clustered Vert.x in this JVM. They share one key file and bus prefix, each listens on its own port, and their
 * Hazelcast cluster has a name and ports of its own on 127.0.0.1, so it never meets another.
 */
final class TwoMemberNode implements AutoCloseable {

  /** A JVM to start, Hazelcast to form its cluster, a node to listen: seconds, but a loaded machine is slow. */
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final ChildJvm memberA;
  private PeerAddress listenA;
  private Vertx vertxB;
  private BenchNodes nodesB;
  private PeerMeshNode memberB;

  /**
   * Starts member A and waits until it listens, then member B: A creates the key file and forms the cluster, so B
   * neither races it for the key nor forms a cluster of its own that Hazelcast would have to merge later.
   */
  TwoMemberNode(Path keyFile, BenchLog log) {
    String clusterName = "peermesh-bench-" + UUID.randomUUID();
    List<Integer> ports = twoReservedPorts();
    String memberPorts = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    log.line("cluster: starting member A in a child JVM (Hazelcast " + clusterName + " on ports " + memberPorts + ")");
    memberA = ChildJvm.start("member A", List.of("-Xmx512m"), ClusterMemberProcess.class,
        List.of(clusterName, String.valueOf(ports.get(0)), memberPorts, keyFile.toString()));
    try {
      String[] ready = memberA.await(ClusterMemberProcess.READY, STARTUP).split(" ");
      listenA = new PeerAddress(ready[1], Integer.parseInt(ready[2]));
      log.line("cluster: member A listens on " + listenA + "; member B joining");
      vertxB = BenchNodes.await(ClusteredVertx.start(ClusteredVertx.localConfig(clusterName, ports.get(1), ports),
          new ClusterOptions()));
      nodesB = new BenchNodes(vertxB);
      memberB = nodesB.start(ClusterMemberProcess.memberOptions(nodesB, keyFile.toString()));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Where member A listens for peers. */
  PeerAddress listenA() {
    return listenA;
  }

  PeerMeshNode memberB() {
    return memberB;
  }

  /** Member B's clustered Vert.x, this JVM's end of the cluster's event bus. */
  Vertx vertxB() {
    return vertxB;
  }

  /**
   * Two distinct ports nobody listens on now, below the ephemeral range: Hazelcast binds them a moment later, as the
   * members' config names its own port and every member's, and an ephemeral port could meanwhile be taken by an
   * outgoing connection.
   */
  private static List<Integer> twoReservedPorts() {
    int first = ClusteredVertx.reservedPort();
    int second = ClusteredVertx.reservedPort();
    // A pick is released as it returns, so the second one may draw the first one's port again.
    while (second == first) {
      second = ClusteredVertx.reservedPort();
    }
    return List.of(first, second);
  }

  /** Stops member B, leaves the cluster, then stops member A's JVM; whatever was started, even if a step fails. */
  @Override
  public void close() {
    try {
      if (nodesB != null) {
        nodesB.close();
      }
    } finally {
      try {
        if (vertxB != null) {
          BenchNodes.await(vertxB.close());
        }
      } finally {
        memberA.close();
      }
    }
  }
}
