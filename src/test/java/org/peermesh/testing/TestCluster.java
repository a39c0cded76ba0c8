package org.peermesh.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.cluster.ClusteredVertx;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * A clustered node in this JVM: each member on its own clustered Vert.x (its own Hazelcast instance), all sharing
 * one node key and bus prefix, in a cluster of its own name and ports so that test classes never meet.
 */
public final class TestCluster implements AutoCloseable {

  public static final String PREFIX = "cluster";

  private final String name = "peermesh-test-" + UUID.randomUUID();
  private final List<Integer> memberPorts;
  private final Path dir;
  private final List<Vertx> vertxes = new CopyOnWriteArrayList<>();
  private final List<PeerMeshNode> members = new CopyOnWriteArrayList<>();
  private final Map<PeerMeshNode, Vertx> vertxOf = new ConcurrentHashMap<>();
  private int created;

  /** A cluster whose first {@code listed} JVMs are the ones the others join through. */
  public TestCluster(Path dir, int listed) {
    this.dir = dir;
    this.memberPorts = IntStream.range(0, listed).mapToObj(i -> TestNodes.reservedPort()).toList();
  }

  /** Options of a new member: the shared key, its own data directory, test-sized timeouts and sync interval. */
  public synchronized NodeOptions memberOptions() {
    int n = ++created;
    return new NodeOptions()
        .setBusPrefix(PREFIX)
        .setKeyFile(dir.resolve("node.key").toString())
        .setDataDir(dir.resolve("member" + n).toString())
        .setCluster(new ClusterOptions().setSyncInterval(1_000))
        .setMesh(TestNodes.testMesh());
  }

  /** Options of a new member, its mesh section changed by {@code change}. */
  public NodeOptions memberOptions(UnaryOperator<MeshOptions> change) {
    return TestNodes.withMesh(memberOptions(), change);
  }

  /** A clustered Vert.x joined to this cluster, listening on the next listed port while there is one. */
  public Vertx join(ClusterOptions options) {
    int port;
    synchronized (this) {
      port = vertxes.size() < memberPorts.size() ? memberPorts.get(vertxes.size()) : TestNodes.reservedPort();
    }
    Vertx vertx = TestNodes.await(ClusteredVertx.start(ClusteredVertx.localConfig(name, port, memberPorts), options));
    vertxes.add(vertx);
    return vertx;
  }

  /** A member: a node started on a Vert.x of its own in this cluster. */
  public PeerMeshNode startMember(NodeOptions options) {
    Vertx vertx = join(options.getCluster());
    PeerMeshNode member = PeerMeshNode.create(vertx, options);
    vertxOf.put(member, vertx);
    members.add(member);
    TestNodes.await(member.start());
    return member;
  }

  /** Members joined first and started all at once, as members that learn of the same peers at the same moment. */
  public List<PeerMeshNode> startMembers(NodeOptions... options) {
    List<PeerMeshNode> started = new ArrayList<>();
    for (NodeOptions o : options) {
      started.add(PeerMeshNode.create(join(o.getCluster()), o));
    }
    members.addAll(started);
    TestNodes.await(Future.all(started.stream().map(PeerMeshNode::start).toList()));
    return started;
  }

  /** The Vert.x a member started with {@link #startMember} runs on. */
  public Vertx vertxOf(PeerMeshNode member) {
    return vertxOf.get(member);
  }

  public List<PeerMeshNode> members() {
    return new ArrayList<>(members);
  }

  @Override
  public void close() {
    TestNodes.await(Future.join(members.stream().filter(PeerMeshNode::isActive).map(PeerMeshNode::stop).toList()));
    TestNodes.await(Future.join(vertxes.stream().map(Vertx::close).toList()));
  }
}
