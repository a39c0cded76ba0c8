package org.peermesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.TestNodes.DEADLINE;

/**
 * A node clustered over three member processes started from the built jar with {@code node --cluster}, the way
 * the README runs one, with the shipped {@code conf/cluster.xml} as the Hazelcast template; ten remote nodes per
 * member in this JVM; this JVM joins as a service without a node, and {@code example consumer} runs as a fourth
 * process. Then one member is killed with SIGKILL, and started again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessIT {

  private static final int MEMBERS = 3;
  private static final int PER_MEMBER = 10;
  private static final int PEERS = MEMBERS * PER_MEMBER;
  private static final int ACK_TIMEOUT = 8_000;
  private static final BusAddresses ADDRESSES = new BusAddresses(NodeOptions.DEFAULT_BUS_PREFIX);

  private Path dir;
  private final String clusterName = "peermesh-it-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = new ArrayList<>();
  private final List<NodeOptions> memberOptions = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Process[] members = new Process[MEMBERS];
  private Process consumer;
  private Vertx vertx;
  private TestNodes remotes;
  private final List<List<PeerMeshNode>> remotesOf = new ArrayList<>();
  private final Map<String, AtomicInteger> news = new ConcurrentHashMap<>();
  private Vertx service;
  private final List<JsonObject> removed = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startCluster(@TempDir Path tempDir) throws IOException {
    dir = tempDir;
    for (int i = 0; i < MEMBERS + 2; i++) {
      hazelcastPorts.add(TestNodes.reservedPort());
    }
    for (int i = 0; i < MEMBERS; i++) {
      memberOptions.add(new NodeOptions()
          .setKeyFile(dir.resolve("node.key").toString())
          .setDataDir(dir.resolve("member" + i).toString())
          .setCluster(new ClusterOptions().setSyncInterval(1_000))
          .setMesh(new MeshOptions()
              .setListen(new PeerAddress("127.0.0.1", TestNodes.reservedPort()))
              .setNetworkId(TestNodes.NETWORK)
              .setMaxOutbound(0)
              .setAckTimeout(ACK_TIMEOUT)));
      members[i] = startMember(i, memberOptions.get(i));
    }
    for (int i = 0; i < MEMBERS; i++) {
      awaitOutput(members[i], "listening:");
    }
    vertx = Vertx.vertx();
    remotes = new TestNodes(vertx, dir.resolve("remotes"));
    for (int i = 0; i < MEMBERS; i++) {
      List<PeerMeshNode> connected = new ArrayList<>();
      PeerAddress member = new PeerAddress("127.0.0.1", memberOptions.get(i).getMesh().getListen().port());
      for (int j = 0; j < PER_MEMBER; j++) {
        PeerMeshNode remote = remotes.start(remotes.options(mesh -> mesh
            .setMaxOutbound(0)
            .setConnect(List.of(member))));
        AtomicInteger count = new AtomicInteger();
        news.put(remote.peerId(), count);
        vertx.eventBus().consumer(remote.addresses().message("news"), m -> count.incrementAndGet());
        vertx.eventBus().<JsonObject>consumer(remote.addresses().rpc("whoami"),
            request -> request.reply(new JsonObject().put("peerId", remote.peerId())));
        // Never answered: what is in flight when its member dies.
        vertx.eventBus().consumer(remote.addresses().rpc("hold"), request -> { });
        connected.add(remote);
      }
      remotesOf.add(connected);
    }
    service = TestNodes.await(ClusteredVertx.start(ClusteredVertx.localConfig(clusterName,
        hazelcastPorts.get(MEMBERS), hazelcastPorts.subList(0, MEMBERS)), new ClusterOptions()));
    TestNodes.await(service.eventBus().<JsonObject>consumer(ADDRESSES.event(PeerEvent.REMOVE_PEER),
        m -> removed.add(m.body())).completion());
    await().atMost(DEADLINE).until(() -> connectedPeerIds().size() == PEERS);
  }

  @AfterAll
  void stop() {
    // What each process printed, for a failure in CI, where the temporary directory is gone afterwards.
    outputs.forEach((process, file) -> {
      String text = output(process);
      System.out.println("----- " + file.getFileName() + " (last 4000 chars)\n"
          + text.substring(Math.max(0, text.length() - 4000)));
    });
    processes.forEach(Process::destroy);
    processes.forEach(p -> {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    if (remotes != null) {
      remotes.close();
      TestNodes.await(vertx.close());
    }
    if (service != null) {
      TestNodes.await(service.close());
    }
  }

  // ------------------------------------------------------------------------------------------------ processes

  /** The shipped conf/cluster.xml with this test's cluster name and ports: member {@code i} listens on its own. */
  private Path clusterXml(String name, int port) throws IOException {
    String xml = Files.readString(Path.of("conf/cluster.xml"));
    String members = hazelcastPorts.subList(0, MEMBERS).stream()
        .map(p -> "<member>127.0.0.1:" + p + "</member>").collect(Collectors.joining("\n"));
    xml = xml.replace("<cluster-name>peermesh</cluster-name>", "<cluster-name>" + clusterName + "</cluster-name>")
        .replace("<port auto-increment=\"true\" port-count=\"10\">5701</port>",
            "<port auto-increment=\"false\">" + port + "</port>")
        .replaceAll("(?s)<member>127\\.0\\.0\\.1:5701</member>.*<member>127\\.0\\.0\\.1:5703</member>", members);
    Path file = dir.resolve(name + ".xml");
    Files.writeString(file, xml);
    return file;
  }

  private Process startMember(int i, NodeOptions options) throws IOException {
    Path conf = dir.resolve("member" + i + ".json");
    Files.writeString(conf, options.toJson().encodePrettily());
    return launch("member" + i, List.of("node", "--conf", conf.toString(), "--cluster-config",
        clusterXml("member" + i, hazelcastPorts.get(i)).toString()));
  }

  private Process launch(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", System.getProperty("peermesh.jar", "target/peermesh.jar")));
    command.addAll(args);
    Process process = new ProcessBuilder(command)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectErrorStream(true)
        .start();
    processes.add(process);
    outputs.put(process, dir.resolve(name + ".out"));
    return process;
  }

  private final Map<Process, Path> outputs = new ConcurrentHashMap<>();

  private String output(Process process) {
    try {
      return Files.readString(outputs.get(process), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitOutput(Process process, String text) {
    await().atMost(DEADLINE.multipliedBy(2)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("the process ended (" + process.exitValue() + "): " + output(process));
      }
      return output(process).contains(text);
    });
  }

  // ---------------------------------------------------------------------------------------------------- tests

  private Set<String> connectedPeerIds() {
    JsonObject peers = TestNodes.await(service.eventBus().<JsonObject>request(ADDRESSES.peers(), new JsonObject()))
        .body();
    Set<String> ids = new HashSet<>();
    peers.getJsonArray("connected").forEach(p -> ids.add(((JsonObject) p).getString("peerId")));
    return ids;
  }

  private <T> Future<T> command(String address, JsonObject body) {
    return service.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(ACK_TIMEOUT + 5_000))
        .map(reply -> reply.body());
  }

  @Test
  @Order(1)
  void eachPeerIsHeldByTheMemberItDialedAndListedOnce() {
    for (int i = 0; i < MEMBERS; i++) {
      for (PeerMeshNode remote : remotesOf.get(i)) {
        var peers = TestNodes.await(remote.getConnectedPeers());
        assertEquals(1, peers.size());
        assertEquals(memberOptions.get(i).getMesh().getListen().port(), peers.get(0).port());
      }
    }
    assertEquals(PEERS, connectedPeerIds().size());
  }

  @Test
  @Order(2)
  void broadcastAndSendToSixteenFromAServiceJvmCoverAllMembers() {
    JsonObject reached = TestNodes.await(command(ADDRESSES.broadcast(),
        new JsonObject().put("event", "news").put("data", new JsonObject().put("n", 1))));
    assertEquals(PEERS, reached.getJsonArray("peerIds").size());
    await().atMost(DEADLINE).until(() -> news.values().stream().allMatch(n -> n.get() == 1));

    JsonObject chosen = TestNodes.await(command(ADDRESSES.send(),
        new JsonObject().put("event", "news").put("data", new JsonObject().put("n", 2))));
    Set<Object> distinct = new HashSet<>(chosen.getJsonArray("peerIds").getList());
    assertEquals(16, distinct.size());
    await().atMost(DEADLINE).until(() -> news.values().stream().filter(n -> n.get() == 2).count() == 16);
  }

  @Test
  @Order(3)
  void requestFromPeerReachesEveryPeerWhereverItIsHeld() {
    for (List<PeerMeshNode> connected : remotesOf) {
      for (PeerMeshNode remote : connected) {
        JsonObject answer = TestNodes.await(command(ADDRESSES.requestFromPeer(), new JsonObject()
            .put("peerId", remote.peerId()).put("procedure", "whoami").put("data", new JsonObject())));
        assertEquals(remote.peerId(), answer.getString("peerId"));
      }
    }
  }

  @Test
  @Order(4)
  void theConsumerExampleProcessReceivesMessageEventsAndIssuesCommands() throws IOException {
    Path conf = dir.resolve("consumer.json");
    Files.writeString(conf, new NodeOptions().setCluster(new ClusterOptions()).toJson().encodePrettily());
    consumer = launch("consumer", List.of("example", "consumer", "--conf", conf.toString(), "--cluster-config",
        clusterXml("consumer", hazelcastPorts.get(MEMBERS + 1)).toString()));
    awaitOutput(consumer, "consumer ready");
    PeerMeshNode sender = remotesOf.get(2).get(4);
    // Sent until seen: the consumer's subscriptions reach every member a moment after it says it is ready.
    await().atMost(DEADLINE).until(() -> {
      TestNodes.await(sender.send("hello", new JsonObject().put("from", "remote")));
      return output(consumer).lines().anyMatch(line -> line.startsWith("event messageReceived")
          && line.contains(sender.peerId()) && line.contains("\"from\":\"remote\""));
    });
    awaitOutput(consumer, "peers " + PEERS + " connected");
  }

  @Test
  @Order(5)
  void killingAMemberRemovesItsPeersAndFailsWhatWasInFlightToThem() throws InterruptedException {
    List<PeerMeshNode> doomed = remotesOf.get(0);
    List<Future<Object>> inFlight = new ArrayList<>();
    for (PeerMeshNode remote : doomed.subList(0, 6)) {
      inFlight.add(command(ADDRESSES.requestFromPeer(), new JsonObject()
          .put("peerId", remote.peerId()).put("procedure", "hold").put("data", new JsonObject())));
    }
    members[0].destroyForcibly();
    members[0].waitFor();

    for (Future<Object> request : inFlight) {
      Throwable failure = TestNodes.awaitFailure(request);
      ReplyException reply = assertInstanceOf(ReplyException.class, failure);
      assertTrue(Set.of(Failure.PEER_DISCONNECTED.code(), Failure.TIMEOUT.code(), -1).contains(reply.failureCode()),
          "failure code " + reply.failureCode() + ": " + reply.getMessage());
    }
    Set<String> itsPeers = doomed.stream().map(PeerMeshNode::peerId).collect(Collectors.toSet());
    await().atMost(DEADLINE).until(() -> removed.stream().map(e -> e.getString("peerId")).collect(Collectors.toSet())
        .containsAll(itsPeers));
    await().atMost(DEADLINE).until(() -> connectedPeerIds().size() == PEERS - PER_MEMBER);
    assertTrue(connectedPeerIds().stream().noneMatch(itsPeers::contains));
  }

  @Test
  @Order(6)
  void aKilledMemberThatComesBackRejoinsAndTakesPeersAgain() throws IOException {
    List<PeerAddress> itsFormerPeers = remotesOf.get(0).stream().map(PeerMeshNode::listenAddress).toList();
    members[0] = startMember(0, TestNodes.withMesh(new NodeOptions(memberOptions.get(0)), mesh -> mesh
        .setConnect(itsFormerPeers)));
    awaitOutput(members[0], "listening:");
    await().atMost(DEADLINE).until(() -> connectedPeerIds().size() == PEERS);
    JsonArray reached = TestNodes.await(this.<JsonObject>command(ADDRESSES.broadcast(),
        new JsonObject().put("event", "news").put("data", new JsonObject().put("n", 3)))).getJsonArray("peerIds");
    assertEquals(PEERS, reached.size());
  }

  @Test
  @Order(7)
  void aPartitionThatHealsLeavesNoStaleEntriesAndEveryPeerReachable() throws Exception {
    Process paused = members[1];
    Set<String> allPeers = news.keySet();
    Set<String> itsPeers = remotesOf.get(1).stream().map(PeerMeshNode::peerId).collect(Collectors.toSet());
    ClusterManager view = ((VertxInternal) service).clusterManager();
    int before = view.getNodes().size();
    // A member frozen past the heartbeat timeout is, to the others, on the far side of a partition. Which sides
    // form depends on who was master; this JVM waits until it no longer sees every member, then ends the partition.
    signal(paused, "STOP");
    try {
      await().atMost(DEADLINE.multipliedBy(2)).until(() -> view.getNodes().size() < before);
    } finally {
      signal(paused, "CONT");
    }
    await().atMost(DEADLINE.multipliedBy(3)).until(() -> view.getNodes().size() == before);
    await().atMost(DEADLINE.multipliedBy(2)).until(() -> connectedPeerIds().equals(allPeers));
    await().atMost(DEADLINE).until(() -> itsPeers.stream().allMatch(peerId -> {
      Future<JsonObject> answer = command(ADDRESSES.requestFromPeer(), new JsonObject()
          .put("peerId", peerId).put("procedure", "whoami").put("data", new JsonObject()));
      return answer.toCompletionStage().toCompletableFuture().handle((ok, err) -> ok != null).join();
    }));
    var claims = TestNodes.await(service.sharedData().<String, String>getAsyncMap(
        ClusterPeerDirectory.claimsMap(ADDRESSES)));
    await().atMost(DEADLINE).until(() -> TestNodes.await(claims.keys()).equals(allPeers));
  }

  private static void signal(Process process, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal);
  }
}
