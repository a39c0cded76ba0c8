package org.peermesh.devp2p.discv4;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Keccak256;
import org.peermesh.devp2p.discovery.Discv4Packets;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.discovery.Endpoint;
import org.peermesh.devp2p.discovery.FindNodePacket;
import org.peermesh.devp2p.discovery.NeighborsPacket;
import org.peermesh.devp2p.discovery.Neighbor;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.discovery.PingPacket;
import org.peermesh.devp2p.discovery.PongPacket;
import org.peermesh.devp2p.enr.Enr;
import org.peermesh.testing.TestNodes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discv4Service instances and hand-made datagrams over real UDP on 127.0.0.1, in one Vertx. */
class Discv4ServiceTest {

  private static final String HOST = "127.0.0.1";

  private Vertx vertx;
  private final List<Discv4Service> services = new ArrayList<>();
  private final Map<Discv4Service, byte[]> keys = new HashMap<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopAll() {
    services.forEach(service -> TestNodes.await(service.stop()));
    TestNodes.await(vertx.close());
  }

  /** A service on an ephemeral port of 127.0.0.1, advertising {@code tcpPort}, started. */
  private Discv4Service start(int tcpPort, List<EnodeUrl> handled, EnodeUrl... bootnodes) {
    return start(new Discv4Options().setTcpPort(tcpPort).setBootnodes(List.of(bootnodes)), handled);
  }

  private Discv4Service start(Discv4Options options, List<EnodeUrl> handled) {
    byte[] key = RawDiscv4Node.freshKey();
    Discv4Service service = new Discv4Service(vertx, key, options.setHost(HOST).setPort(0));
    service.nodeHandler(handled::add);
    services.add(service);
    keys.put(service, key);
    int port = TestNodes.await(service.start());
    assertEquals(port, service.self().udpPort());
    return service;
  }

  private Discv4Service start(EnodeUrl... bootnodes) {
    return start(30303, new CopyOnWriteArrayList<>(), bootnodes);
  }

  private static NodeId id(Discv4Service service) {
    return service.self().id();
  }

  private static void awaitKnows(Discv4Service service, Discv4Service... others) {
    await().atMost(TestNodes.DEADLINE).until(() -> Arrays.stream(others)
        .allMatch(other -> service.nodes().contains(other.self())));
  }

  private static long dropped(Discv4Service service, String reason) {
    return service.stats().getJsonObject("dropped").getLong(reason, 0L);
  }

  private static long expiration() {
    return System.currentTimeMillis() / 1000 + 20;
  }

  @Test
  void aNodeBootstrapsFromAnotherAndBothListEachOtherAndHandTheOtherToTheDialer() {
    List<EnodeUrl> handledByA = new CopyOnWriteArrayList<>();
    List<EnodeUrl> handledByB = new CopyOnWriteArrayList<>();
    Discv4Service a = start(30311, handledByA);
    assertEquals(new EnodeUrl(id(a), HOST, 30311, a.self().udpPort()), a.self());
    Discv4Service b = start(30312, handledByB, a.self());

    awaitKnows(b, a);
    awaitKnows(a, b);
    // self() carries the advertised TCP port, which the table learns from the Ping's "from" endpoint.
    assertEquals(List.of(b.self()), a.nodes());
    assertEquals(List.of(a.self()), b.nodes());
    await().atMost(TestNodes.DEADLINE).until(() -> handledByA.size() == 1 && handledByB.size() == 1);
    assertEquals(List.of(b.self()), handledByA);
    assertEquals(List.of(a.self()), handledByB);
    assertEquals(1, a.stats().getInteger("tableSize"));
  }

  @Test
  void theTableFillsThroughAThirdNode() {
    Discv4Service a = start();
    Discv4Service b = start(a.self());
    awaitKnows(a, b);
    // c knows only a; its lookup of its own id asks a, whose Neighbors name b.
    Discv4Service c = start(a.self());

    awaitKnows(c, a, b);
    awaitKnows(b, a, c);
    awaitKnows(a, b, c);
  }

  @Test
  void anEnrRequestReturnsTheVerifiedRecordOfTheNode() {
    Discv4Service a = start(30313, new CopyOnWriteArrayList<>());
    Discv4Service b = start();

    // b has never met a: it pings a first, a pings back, and only then is the request answered.
    Enr record = TestNodes.await(b.requestRecord(a.self()));
    assertEquals(a.record(), record);
    assertTrue(record.verify());
    assertEquals(1, record.seq());
    assertArrayEquals(id(a).bytes(), record.publicKey64().orElseThrow());
    assertEquals(HOST, record.ip().orElseThrow().getHostAddress());
    assertEquals(30313, record.tcp().orElseThrow());
    assertEquals(a.self().udpPort(), record.udp().orElseThrow());
    awaitKnows(b, a);
  }

  @Test
  void aPingFromAnUnknownNodeGetsAPongAndAPingBackThatProvesItsEndpoint() {
    Discv4Service a = start();
    try (RawDiscv4Node raw = new RawDiscv4Node()) {
      // Before any Ping a FindNode is not answered: that node has not proven its endpoint.
      raw.send(new FindNodePacket(raw.id(), expiration()), a.self());
      await().atMost(TestNodes.DEADLINE).until(() -> dropped(a, "unbonded") == 1);

      byte[] ping = raw.send(new PingPacket(PingPacket.VERSION, new Endpoint(RawDiscv4Node.LOOPBACK, raw.port(), 0),
          new Endpoint(RawDiscv4Node.LOOPBACK, a.self().udpPort(), 0), expiration(), OptionalLong.empty()), a.self());
      RawDiscv4Node.Received<PongPacket> pong = raw.receive(PongPacket.class);
      assertEquals(id(a), pong.decoded().sender());
      assertArrayEquals(Arrays.copyOf(ping, 32), pong.packet().pingHash());
      assertEquals(new Endpoint(RawDiscv4Node.LOOPBACK, raw.port(), 0), pong.packet().to());
      assertEquals(OptionalLong.of(1), pong.packet().enrSeq());

      // a does not know us: it pings back, and we enter its table once we answer.
      RawDiscv4Node.Received<PingPacket> pingBack = raw.receive(PingPacket.class);
      assertEquals(a.self().udpPort(), pingBack.packet().from().udp());
      assertEquals(OptionalLong.of(1), pingBack.packet().enrSeq());
      assertTrue(a.nodes().isEmpty());
      // A Pong naming another Ping proves nothing: dropped, and the right one is still awaited.
      raw.send(new PongPacket(new Endpoint(RawDiscv4Node.LOOPBACK, a.self().udpPort(), 0), new byte[32],
          expiration(), OptionalLong.empty()), a.self());
      await().atMost(TestNodes.DEADLINE).until(() -> dropped(a, "mismatched") == 1);
      raw.send(new PongPacket(new Endpoint(RawDiscv4Node.LOOPBACK, a.self().udpPort(), 0),
          pingBack.decoded().hash(), expiration(), OptionalLong.empty()), a.self());
      await().atMost(TestNodes.DEADLINE).until(() -> a.nodes().stream().anyMatch(node -> node.id().equals(raw.id())));

      // Now proven, it is answered: a knows only us, and says so in one Neighbors packet.
      raw.send(new FindNodePacket(raw.id(), expiration()), a.self());
      NeighborsPacket neighbors = raw.receive(NeighborsPacket.class).packet();
      assertEquals(List.of(new Neighbor(RawDiscv4Node.LOOPBACK, raw.port(), 0, raw.id())), neighbors.nodes());
    }
  }

  @Test
  void aFindNodeAnswerOfMoreThanTwelveNodesComesInPacketsOfAtMostTwelve() {
    Discv4Service a = start();
    List<Discv4Service> others = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      others.add(start(a.self()));
    }
    awaitKnows(a, others.toArray(Discv4Service[]::new));
    try (RawDiscv4Node raw = new RawDiscv4Node()) {
      bond(raw, a);
      // 15 nodes in a's table, 14 services and us: the closest 15 of any target, in two packets.
      raw.send(new FindNodePacket(raw.id(), expiration()), a.self());
      List<Neighbor> first = raw.receive(NeighborsPacket.class).packet().nodes();
      List<Neighbor> second = raw.receive(NeighborsPacket.class).packet().nodes();
      assertEquals(12, first.size());
      assertEquals(3, second.size());
      List<NodeId> ids = new ArrayList<>();
      first.forEach(node -> ids.add(node.id()));
      second.forEach(node -> ids.add(node.id()));
      assertTrue(ids.contains(raw.id()));
      others.forEach(other -> assertTrue(ids.contains(id(other)), other.self().toString()));
    }
  }

  @Test
  void everyPingIsAnsweredButOnlyMaxBondingUnknownNodesArePingedBackAtOnce() {
    Discv4Service a = start(new Discv4Options().setMaxBonding(1), new CopyOnWriteArrayList<>());
    try (RawDiscv4Node first = new RawDiscv4Node(); RawDiscv4Node second = new RawDiscv4Node()) {
      ping(first, a);
      first.receive(PongPacket.class);
      RawDiscv4Node.Received<PingPacket> pingBack = first.receive(PingPacket.class);
      // a awaits first's Pong: second's Ping is answered, but second is not pinged back.
      byte[] secondPing = ping(second, a);
      assertArrayEquals(Arrays.copyOf(secondPing, 32),
          assertInstanceOf(PongPacket.class, second.receive().packet()).pingHash());

      first.send(new PongPacket(new Endpoint(RawDiscv4Node.LOOPBACK, a.self().udpPort(), 0),
          pingBack.decoded().hash(), expiration(), OptionalLong.empty()), a.self());
      await().atMost(TestNodes.DEADLINE).until(() -> a.nodes().size() == 1);
      // Had a pinged second back before, that Ping would come before this Pong.
      byte[] again = ping(second, a);
      Discv4Packets.Decoded next = second.receive();
      PongPacket pong = assertInstanceOf(PongPacket.class, next.packet());
      assertArrayEquals(Arrays.copyOf(again, 32), pong.pingHash());
      assertEquals(id(a), second.receive(PingPacket.class).decoded().sender());
    }
  }

  private static byte[] ping(RawDiscv4Node raw, Discv4Service service) {
    return raw.send(new PingPacket(PingPacket.VERSION, new Endpoint(RawDiscv4Node.LOOPBACK, raw.port(), 0),
        new Endpoint(RawDiscv4Node.LOOPBACK, service.self().udpPort(), 0), expiration(), OptionalLong.empty()),
        service.self());
  }

  /** Pings {@code service} from {@code raw} and answers its Ping back, which puts {@code raw} in its table. */
  private static void bond(RawDiscv4Node raw, Discv4Service service) {
    ping(raw, service);
    raw.receive(PongPacket.class);
    RawDiscv4Node.Received<PingPacket> pingBack = raw.receive(PingPacket.class);
    raw.send(new PongPacket(new Endpoint(RawDiscv4Node.LOOPBACK, service.self().udpPort(), 0),
        pingBack.decoded().hash(), expiration(), OptionalLong.empty()), service.self());
    await().atMost(TestNodes.DEADLINE).until(() -> service.nodes().stream().anyMatch(n -> n.id().equals(raw.id())));
  }

  @Test
  void badDatagramsAreDroppedAndCountedAndTheServiceKeepsWorking() {
    Discv4Service a = start();
    try (RawDiscv4Node raw = new RawDiscv4Node()) {
      EnodeUrl to = a.self();
      Endpoint from = new Endpoint(RawDiscv4Node.LOOPBACK, raw.port(), 0);
      Endpoint target = new Endpoint(RawDiscv4Node.LOOPBACK, to.udpPort(), 0);

      raw.sendRaw(new byte[50], to);
      raw.sendRaw(new byte[Discv4Packets.MAX_PACKET_SIZE + 1], to);
      byte[] garbage = new byte[200];
      Arrays.fill(garbage, (byte) 0x5a);
      raw.sendRaw(garbage, to);
      // Signature zeroed and the hash made right again: no key recovers from r = 0.
      byte[] unsigned = Discv4Packets.encode(new PingPacket(PingPacket.VERSION, from, target, expiration(),
          OptionalLong.empty()), raw.key());
      Arrays.fill(unsigned, 32, 97, (byte) 0);
      System.arraycopy(Keccak256.hash(Arrays.copyOfRange(unsigned, 32, unsigned.length)), 0, unsigned, 0, 32);
      raw.sendRaw(unsigned, to);
      raw.send(new PingPacket(PingPacket.VERSION, from, target, System.currentTimeMillis() / 1000 - 60,
          OptionalLong.empty()), to);
      // A Pong nobody asked for, and a Ping signed with a's own key (a reflection of its own packets).
      raw.send(new PongPacket(from, new byte[32], expiration(), OptionalLong.empty()), to);
      raw.sendRaw(Discv4Packets.encode(new PingPacket(PingPacket.VERSION, from, target, expiration(),
          OptionalLong.empty()), keys.get(a)), to);
      // Neighbors nobody asked for: they would put any node in the table.
      raw.send(new NeighborsPacket(List.of(new Neighbor(RawDiscv4Node.LOOPBACK, 30303, 30303,
          NodeId.ofPrivateKey(RawDiscv4Node.freshKey()))), expiration()), to);

      await().atMost(TestNodes.DEADLINE).until(() -> a.stats().getLong("received") == 8);
      JsonObject stats = a.stats();
      assertEquals(new JsonObject().put("bad_hash", 1).put("bad_signature", 1).put("expired", 1).put("self", 1)
          .put("too_large", 1).put("truncated", 1).put("unsolicited", 2), stats.getJsonObject("dropped"), stats::encode);
      assertEquals(0, stats.getInteger("tableSize"));
      assertEquals(0, stats.getLong("sent"));

      // And it still answers.
      raw.send(new PingPacket(PingPacket.VERSION, from, target, expiration(), OptionalLong.empty()), to);
      assertEquals(id(a), raw.receive(PongPacket.class).decoded().sender());
    }
  }
}
