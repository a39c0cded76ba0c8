package org.peermesh.peer.echo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.cluster.ClusterPeerDirectory;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.ConnectionPool;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.LocalPeerDirectory;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerMetrics;
import org.peermesh.peer.RecordingPeerMetrics;
import org.peermesh.peer.echo.EchoMessage.Verb;
import org.peermesh.reputation.BanList;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.TestNodes.DEADLINE;

/**
 * The echo protocol on the peer layer's real {@link ConnectionPool}, over sockets on 127.0.0.0/8: the protocol
 * supplies a codec, a handshake and a session, and gets from the layer the events and commands, the limits on
 * pending handshakes, the bans that outlive the pool, and the claims that keep one connection per peer across a
 * cluster.
 */
class EchoProtocolTest {

  private static final String LOOPBACK = "127.0.0.1";
  private static final PeerAddress ANY_PORT = new PeerAddress(LOOPBACK, 0);
  private static final int MAX_PENDING_PER_IP = 4;

  private Path dir;
  private Vertx vertx;
  private TestCluster cluster;
  /** What each test started, closed in reverse order after it. */
  private final List<Deployment> deployments = new CopyOnWriteArrayList<>();
  private final List<RawEchoPeer> rawPeers = new CopyOnWriteArrayList<>();

  private record Deployment(Vertx vertx, String id) {
  }

  @BeforeEach
  void setUp(@TempDir Path dir) {
    this.dir = dir;
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    rawPeers.forEach(RawEchoPeer::close);
    List<Deployment> started = new ArrayList<>(deployments);
    for (int i = started.size() - 1; i >= 0; i--) {
      undeploy(started.get(i));
    }
    if (cluster != null) {
      cluster.close();
    }
    TestNodes.await(vertx.close());
  }

  /**
   * The way a user runs a protocol: a config section naming it. The node finds the echo provider through
   * META-INF/services, binds the section to its options and runs its pool; nothing in the node names the protocol.
   */
  @Test
  void aNodeRunsTheProtocolOfAConfigSectionThroughItsProvider() {
    ConnectionPool<EchoMessage, String> dialer = startPool(vertx, "dialer", "bob", settings(null, List.of()),
        bans("dialer"), new LocalPeerDirectory());
    TestNodes nodes = new TestNodes(vertx, dir.resolve("nodes"));
    try {
      NodeOptions options = new NodeOptions(new JsonObject()
          .put("busPrefix", "node")
          .put("dataDir", dir.resolve("node").toString())
          .put("mesh", false)
          .put(EchoProtocol.NAME, new JsonObject().put("id", "carol").put("listen", ANY_PORT.toJson())));
      PeerMeshNode node = nodes.start(options);
      PeerAddress listen = node.listenAddress(EchoProtocol.NAME);
      List<JsonObject> texts = collect(vertx, echo("node").message("text"));

      JsonObject connected = call(echo("dialer").command("connect"), listen.toJson());
      assertEquals("carol", connected.getString("id"));
      awaitEvent(texts, text("hello bob"));
      assertEquals("bob", onlyPeer(call(echo("node").command("peers"), new JsonObject())).getString("id"));
      assertEquals(1, node.peers(EchoProtocol.NAME).size());
      // The node's own peers command lists every protocol's peers, each with its protocol.
      JsonObject listed = call(node.addresses().peers(), new JsonObject());
      assertEquals(1, listed.getJsonArray("connected").size(), listed.encode());
      JsonObject entry = listed.getJsonArray("connected").getJsonObject(0);
      assertEquals(EchoProtocol.NAME, entry.getString("protocol"));
      assertEquals("bob", entry.getString("id"));

      // A node that stops says so: its pool disconnects each peer as NODE_SHUTDOWN before it is undeployed.
      List<JsonObject> nodeStates = collect(vertx, echo("node").stateChange());
      TestNodes.await(node.stop());
      JsonObject closed = awaitEvent(nodeStates, state -> "closed".equals(state.getString("state")));
      assertEquals(DisconnectReason.NODE_SHUTDOWN.code(), closed.getInteger("code"), closed.encode());
    } finally {
      nodes.close();
    }
  }

  @Test
  void aDialerAndAListenerHandshakeEchoAndListEachOther() {
    ConnectionPool<EchoMessage, String> listener = startPool(vertx, "listener", "alice",
        settings(ANY_PORT, List.of()), bans("listener"), new LocalPeerDirectory());
    PeerAddress listen = listener.listenAddress();
    ProtocolAddresses listenerBus = echo("listener");
    ProtocolAddresses dialerBus = echo("dialer");
    List<JsonObject> listenerStates = collect(vertx, listenerBus.stateChange());
    List<JsonObject> dialerStates = collect(vertx, dialerBus.stateChange());
    List<JsonObject> listenerTexts = collect(vertx, listenerBus.message("text"));
    List<JsonObject> dialerTexts = collect(vertx, dialerBus.message("text"));

    startPool(vertx, "dialer", "bob", settings(null, List.of(listen)), bans("dialer"), new LocalPeerDirectory());

    awaitEvent(dialerStates, state("connected").and(e -> listen.toString().equals(e.getString("peer"))));
    JsonObject connected = awaitEvent(listenerStates, state("connected"));
    assertEquals("inbound", connected.getString("direction"));
    String inbound = connected.getString("peer");
    // The handshake's messages are published too: the protocol sees everything the handshake admits.
    awaitEvent(listenerTexts, text("hello bob"));
    awaitEvent(dialerTexts, text("welcome alice"));

    JsonObject said = call(dialerBus.command(EchoProtocol.SAY),
        new JsonObject().put("peer", listen.toString()).put("text", "hello, échø"));
    assertEquals(listen.toString(), said.getString("peer"));
    JsonObject heard = awaitEvent(listenerTexts, text("say hello, échø"));
    assertEquals(inbound, heard.getString("peer"));
    JsonObject echoed = awaitEvent(dialerTexts, text("echo hello, échø"));
    assertEquals(listen.toString(), echoed.getString("peer"));
    assertEquals("outbound", echoed.getString("direction"));

    JsonObject listed = onlyPeer(call(dialerBus.command("peers"), new JsonObject()));
    assertEquals(listen.toString(), listed.getString("peer"));
    assertEquals("alice", listed.getString("id"));
    assertEquals("connected", listed.getString("state"));
    JsonObject listedBack = onlyPeer(call(listenerBus.command("peers"), new JsonObject()));
    assertEquals(inbound, listedBack.getString("peer"));
    assertEquals("bob", listedBack.getString("id"));
    assertEquals("inbound", listedBack.getString("direction"));

    // The layer's keepalive pings, answered with the session's pongs, measure the round trip.
    await().atMost(DEADLINE).until(() -> onlyPeer(call(dialerBus.command("peers"), new JsonObject()))
        .containsKey("latencyMicros"));

    // What the session refuses to send, and a peer the layer does not hold, fail the command.
    assertEquals(Failure.BAD_REQUEST.code(), failureCode(ask(dialerBus.command(EchoProtocol.SAY),
        new JsonObject().put("peer", listen.toString()).put("text", "x".repeat(EchoMessage.MAX_ARGUMENT + 1)))));
    assertEquals(Failure.UNKNOWN_PEER.code(), failureCode(ask(dialerBus.command(EchoProtocol.SAY),
        new JsonObject().put("peer", "127.0.0.1:1").put("text", "anyone?"))));
  }

  @Test
  void oneAddressHoldsNoMoreThanItsPendingHandshakesWhileAnotherStillConnects() {
    ConnectionPool<EchoMessage, String> pool = startPool(vertx, "limits", "alice", settings(ANY_PORT, List.of()),
        bans("limits"), new LocalPeerDirectory());
    PeerAddress listen = pool.listenAddress();
    List<JsonObject> states = collect(vertx, echo("limits").stateChange());
    List<JsonObject> errors = collect(vertx, echo("limits").error());

    int attempts = 10;
    List<String> silent = IntStream.range(0, attempts).mapToObj(i -> raw(listen, LOOPBACK).name()).toList();
    Predicate<JsonObject> admitted = state("handshaking").and(e -> silent.contains(e.getString("peer")));
    Predicate<JsonObject> refused = e -> "too_many_pending_from_ip".equals(e.getString("error"));
    // Every socket is decided as it is accepted: admitted to its handshake, or refused.
    await().atMost(DEADLINE).until(() -> count(states, admitted) + count(errors, refused) == attempts);
    assertEquals(attempts - MAX_PENDING_PER_IP, count(errors, refused));
    assertEquals(MAX_PENDING_PER_IP, count(states, admitted));
    assertTrue(errors.stream().filter(refused).allMatch(e -> silent.contains(e.getString("peer"))));

    RawEchoPeer other = raw(listen, "127.0.0.2");
    other.send(new EchoMessage(Verb.HELLO, "carol"));
    assertEquals(new EchoMessage(Verb.WELCOME, "alice"), other.next());
    awaitEvent(states, state("connected").and(e -> other.name().equals(e.getString("peer"))));
    assertEquals(attempts - MAX_PENDING_PER_IP, count(errors, refused), "refusals once the other peer is in");
  }

  @Test
  void aBlacklistedAddressIsNeitherAcceptedNorDialed() {
    ConnectionPool<EchoMessage, String> pool = startPool(vertx, "blacklist", "alice",
        settings(ANY_PORT, List.of()).setBlacklistedIPs(List.of("127.0.0.7")), bans("blacklist"),
        new LocalPeerDirectory());
    List<JsonObject> errors = collect(vertx, echo("blacklist").error());
    try (RawEchoPeer refused = new RawEchoPeer(pool.listenAddress(), "127.0.0.7")) {
      assertTrue(refused.closedByNode(), "a blacklisted address is refused before its first byte");
      assertEquals("blacklisted", awaitEvent(errors, about(refused)).getString("error"));
    }
    RawEchoPeer other = raw(pool.listenAddress(), LOOPBACK);
    other.send(new EchoMessage(Verb.HELLO, "bob"));
    assertEquals(new EchoMessage(Verb.WELCOME, "alice"), other.next());

    // The same address written another way is the same address, and a connect command does not dial it.
    Throwable notDialed = TestNodes.awaitFailure(ask(echo("blacklist").command("connect"),
        new PeerAddress("::ffff:127.0.0.7", 1).toJson()));
    assertEquals(Failure.PEER_DISCONNECTED.code(), assertInstanceOf(ReplyException.class, notDialed).failureCode());
    assertTrue(notDialed.getMessage().contains("address ::ffff:127.0.0.7 is blacklisted"), notDialed.getMessage());
  }

  /**
   * What the layer tells the pools' metrics, for every protocol alike: each connection's states, its handshake's end,
   * its messages by the protocol's type names with their bytes on the wire, penalties and bans, and why it closed.
   */
  @Test
  void theLayerReportsStatesHandshakesTrafficPenaltiesAndDisconnectsToThePoolsMetrics() {
    RecordingPeerMetrics listening = new RecordingPeerMetrics();
    RecordingPeerMetrics dialing = new RecordingPeerMetrics();
    ConnectionPool<EchoMessage, String> listener = startPool(vertx, "metered", "alice", settings(ANY_PORT, List.of()),
        bans("metered"), new LocalPeerDirectory(), listening);
    PeerAddress listen = listener.listenAddress();
    startPool(vertx, "metering", "bob", settings(null, List.of(listen)), bans("metering"), new LocalPeerDirectory(),
        dialing);
    await().atMost(DEADLINE).until(() -> dialing.events("established").size() == 1
        && listening.events("established").size() == 1);
    assertEquals(List.of("state outbound closed>connecting", "state outbound connecting>handshaking",
        "state outbound handshaking>connected", "established outbound"), dialing.events());
    assertEquals(List.of("state inbound closed>handshaking", "state inbound handshaking>connected",
        "established inbound"), listening.events());

    // Each message by its type, its frame counted whole (a u16 length and the line) by both ends.
    call(echo("metering").command(EchoProtocol.SAY), new JsonObject().put("peer", listen.toString()).put("text", "hi"));
    await().atMost(DEADLINE).until(() -> dialing.messages("received", "echo") == 1);
    assertEquals(2 + "say hi".length(), listening.bytes("received", "say"));
    assertEquals(2 + "say hi".length(), dialing.bytes("sent", "say"));
    assertEquals(2 + "echo hi".length(), listening.bytes("sent", "echo"));
    assertEquals(2 + "echo hi".length(), dialing.bytes("received", "echo"));
    assertEquals(2 + "hello bob".length(), listening.bytes("received", "hello"));
    assertEquals(1, dialing.messages("received", "welcome"));

    // A peer that breaks the handshake is refused by its kind, charged, and closed as a violation.
    try (RawEchoPeer garbled = raw(listen, "127.0.0.3")) {
      garbled.write(garbled.frame(new EchoMessage(Verb.SAY, "before any hello")));
      assertTrue(garbled.closedByNode());
    }
    await().atMost(DEADLINE).until(() -> listening.events("disconnected").size() == 1);
    assertEquals(List.of("refused inbound unexpected_say", "penalized", "disconnected inbound protocol_violation"),
        listening.events().stream().filter(e -> !e.startsWith("state")).skip(1).toList());

    // A peer that leaves during its handshake ends it without a refusal.
    try (RawEchoPeer silent = raw(listen, "127.0.0.4")) {
      await().atMost(DEADLINE).until(() -> listening.events("state inbound closed>handshaking").size() == 3);
    }
    await().atMost(DEADLINE).until(() -> listening.events("disconnected").size() == 2);
    assertEquals(List.of("failed inbound"), listening.events("failed"));
    assertEquals("disconnected inbound normal", listening.events("disconnected").get(1));

    // Three more violations from one address use up its score: the fourth bans it, and it is refused at once after.
    for (int violation = 2; violation <= 4; violation++) {
      try (RawEchoPeer garbled = raw(listen, "127.0.0.3")) {
        garbled.write(garbled.frame(new EchoMessage(Verb.SAY, "again")));
        assertTrue(garbled.closedByNode());
      }
    }
    await().atMost(DEADLINE).until(() -> listening.events("penalized").size() == 4);
    assertEquals("penalized banned", listening.events("penalized").get(3));
    try (RawEchoPeer banned = raw(listen, "127.0.0.3")) {
      assertTrue(banned.closedByNode());
    }
    await().atMost(DEADLINE).until(() -> listening.events("refused inbound banned").size() == 1);
  }

  @Test
  void framesSplitAcrossReadsAreReassembled() {
    ConnectionPool<EchoMessage, String> pool = startPool(vertx, "split", "alice", settings(ANY_PORT, List.of()),
        bans("split"), new LocalPeerDirectory());
    RawEchoPeer raw = raw(pool.listenAddress(), LOOPBACK);
    raw.send(new EchoMessage(Verb.HELLO, "erin"));
    assertEquals(new EchoMessage(Verb.WELCOME, "alice"), raw.next());

    // Each write ends inside the next frame, and is sent only once the node has answered the frame before: the
    // node reads the second frame's length a byte at a time, and the third frame's body in two pieces.
    byte[] one = raw.frame(new EchoMessage(Verb.SAY, "one"));
    byte[] two = raw.frame(new EchoMessage(Verb.SAY, "two"));
    byte[] three = raw.frame(new EchoMessage(Verb.SAY, "three"));
    raw.write(concat(one, Arrays.copyOfRange(two, 0, 1)));
    assertEquals(new EchoMessage(Verb.ECHO, "one"), raw.next());
    raw.write(concat(Arrays.copyOfRange(two, 1, two.length), Arrays.copyOfRange(three, 0, 4)));
    assertEquals(new EchoMessage(Verb.ECHO, "two"), raw.next());
    raw.write(Arrays.copyOfRange(three, 4, three.length));
    assertEquals(new EchoMessage(Verb.ECHO, "three"), raw.next());
  }

  @Test
  void anAddressThatBreaksTheFramingFourTimesIsBannedAlsoAfterARedeploy() throws IOException {
    Path banFile = dir.resolve("echo-bans.json");
    ConnectionPool<EchoMessage, String> pool = startPool(vertx, "bans", "alice", settings(ANY_PORT, List.of()),
        BanList.load(banFile, Clock.systemUTC()), new LocalPeerDirectory());
    List<JsonObject> errors = collect(vertx, echo("bans").error());

    // Four frames no peer may send, 25 of a score of 100 each: a length of 0, a length over the maximum (refused on
    // its two bytes, before the body is waited for), a body that is not UTF-8, a length just over the maximum.
    byte[][] frames = {{0, 0}, {(byte) 0xff, (byte) 0xff}, {0, 2, (byte) 0xc3, 0x28}, {0x04, 0x01}};
    String[] kinds = {"bad_length", "bad_length", "invalid_utf8", "bad_length"};
    for (int i = 0; i < frames.length; i++) {
      RawEchoPeer raw = raw(pool.listenAddress(), "127.0.0.3");
      raw.write(frames[i]);
      assertTrue(raw.closedByNode(), "the node ends a connection that broke the framing");
      JsonObject error = awaitEvent(errors, about(raw).and(e -> !"banned".equals(e.getString("error"))));
      assertEquals(kinds[i], error.getString("error"));
    }
    JsonObject banned = awaitEvent(errors, e -> "banned".equals(e.getString("error")));
    assertEquals("127.0.0.3", banned.getString("host"));
    assertRefusedAsBanned(pool.listenAddress(), errors);
    assertTrue(Files.readString(banFile).contains("\"127.0.0.3\""), "the ban is saved in " + banFile);

    undeploy(deployments.remove(deployments.size() - 1));
    ConnectionPool<EchoMessage, String> redeployed = startPool(vertx, "bans", "alice",
        settings(ANY_PORT, List.of()), BanList.load(banFile, Clock.systemUTC()), new LocalPeerDirectory());
    assertRefusedAsBanned(redeployed.listenAddress(), errors);
    RawEchoPeer other = raw(redeployed.listenAddress(), "127.0.0.4");
    other.send(new EchoMessage(Verb.HELLO, "dave"));
    assertEquals(new EchoMessage(Verb.WELCOME, "alice"), other.next());
  }

  @Test
  void aPeerThatDialsTwoMembersOfAClusterIsHeldByOneOfThem() {
    List<ConnectionPool<EchoMessage, String>> members = new ArrayList<>();
    List<List<JsonObject>> memberErrors = new ArrayList<>();
    List<List<JsonObject>> memberStates = new ArrayList<>();
    startMembers(members, memberErrors, memberStates);

    // One peer, one id, told to keep both members connected.
    ConnectionPool<EchoMessage, String> dialer = startPool(vertx, "dialer", "dave",
        settings(null, members.stream().map(ConnectionPool::listenAddress).toList()), bans("dialer"),
        new LocalPeerDirectory());

    Predicate<JsonObject> duplicate = e -> "duplicate_connection".equals(e.getString("error"));
    // Refused once, then again when the dialer's back-off redials it: the claim stays with the holder.
    await().atMost(DEADLINE).until(() -> count(memberErrors.get(0), duplicate) + count(memberErrors.get(1), duplicate)
        >= 2 && connected(members.get(0)).size() + connected(members.get(1)).size() == 1);
    int holder = connected(members.get(0)).size() == 1 ? 0 : 1;
    int other = 1 - holder;

    assertEquals("dave", connected(members.get(holder)).get(0).getString("id"));
    assertEquals(0, count(memberErrors.get(holder), duplicate), "refusals by the member holding the peer");
    JsonObject refusal = memberErrors.get(other).stream().filter(duplicate).findFirst().orElseThrow();
    assertEquals("inbound", refusal.getString("direction"));
    assertTrue(refusal.getString("message").contains("dave"), refusal.encode());
    assertTrue(memberStates.get(holder).stream().anyMatch(state("connected")));
    assertFalse(memberStates.get(other).stream().anyMatch(state("connected")),
        "the member refused the peer's handshake before it was established");

    // The holder is established once it has sent its welcome; the peer, once it has read it.
    await().atMost(DEADLINE).until(() -> !connected(dialer).isEmpty());
    List<JsonObject> held = connected(dialer);
    assertEquals(1, held.size(), "connections the peer holds: " + held);
    assertEquals(members.get(holder).listenAddress().toString(), held.get(0).getString("peer"));
    assertEquals("echo-node", held.get(0).getString("id"));
    assertEquals(1, connected(members.get(0)).size() + connected(members.get(1)).size(),
        "established peers across both members");
    // Either member's peers command lists the peer, whichever holds it.
    for (ConnectionPool<EchoMessage, String> member : members) {
      await().atMost(DEADLINE).until(() -> member.peers().stream().filter(state("connected")).toList().size() == 1);
      assertEquals("dave", member.peers().stream().filter(state("connected")).findFirst().orElseThrow().getString("id"));
    }
  }

  @Test
  void aSecondConnectionClaimingAnIdThisPoolHoldsIsRefusedInOneJvmToo() {
    ConnectionPool<EchoMessage, String> pool = startPool(vertx, "twice", "alice", settings(ANY_PORT, List.of()),
        bans("twice"), new LocalPeerDirectory());
    List<JsonObject> states = collect(vertx, echo("twice").stateChange());
    List<JsonObject> errors = collect(vertx, echo("twice").error());

    RawEchoPeer first = raw(pool.listenAddress(), "127.0.0.5");
    first.send(new EchoMessage(Verb.HELLO, "mallory"));
    assertEquals(new EchoMessage(Verb.WELCOME, "alice"), first.next());
    JsonObject connected = awaitEvent(states, state("connected").and(about(first)));
    assertEquals("mallory", connected.getString("peerId"), "events name the identity the peer's handshake proved");

    RawEchoPeer second = raw(pool.listenAddress(), "127.0.0.6");
    second.send(new EchoMessage(Verb.HELLO, "mallory"));
    assertTrue(second.closedByNode(), "a second connection to a peer this JVM holds is refused");
    assertEquals("duplicate_connection", awaitEvent(errors, about(second)).getString("error"));
    assertEquals(1, connected(pool).size());
  }

  @Test
  void whatAPeerSaysWhileItsClaimIsSettledIsHeardInOrderOnceItIs() {
    // Meanwhile the peer says something.
    ConnectionPool<EchoMessage, String> pool = startPool(vertx, "slow", "alice", settings(ANY_PORT, List.of()),
        bans("slow"), slowClaims());
    RawEchoPeer raw = raw(pool.listenAddress(), LOOPBACK);
    raw.write(concat(raw.frame(new EchoMessage(Verb.HELLO, "frank")), raw.frame(new EchoMessage(Verb.SAY, "at once"))));
    assertEquals(new EchoMessage(Verb.WELCOME, "alice"), raw.next());
    assertEquals(new EchoMessage(Verb.ECHO, "at once"), raw.next());
  }

  @Test
  void anAddressOneMemberBansIsBannedByTheOtherToo() {
    List<ConnectionPool<EchoMessage, String>> members = new ArrayList<>();
    List<List<JsonObject>> memberErrors = new ArrayList<>();
    startMembers(members, memberErrors, new ArrayList<>());

    for (int i = 0; i < 100 / EchoProtocol.VIOLATION_PENALTY; i++) {
      RawEchoPeer raw = raw(members.get(0).listenAddress(), "127.0.0.7");
      raw.write(new byte[] {0, 0});
      assertTrue(raw.closedByNode());
    }
    awaitEvent(memberErrors.get(0), e -> "banned".equals(e.getString("error")));
    // The other member adopts the ban: the address is refused there before its first byte.
    await().atMost(DEADLINE).until(() -> {
      try (RawEchoPeer raw = new RawEchoPeer(members.get(1).listenAddress(), "127.0.0.7")) {
        return raw.closedByNode() && memberErrors.get(1).stream().anyMatch(
            about(raw).and(e -> "banned".equals(e.getString("error"))));
      }
    });
    RawEchoPeer other = raw(members.get(1).listenAddress(), "127.0.0.8");
    other.send(new EchoMessage(Verb.HELLO, "grace"));
    assertEquals(new EchoMessage(Verb.WELCOME, "echo-node"), other.next());
  }

  @Test
  void aPeerThatFloodsWhileItsClaimIsSettledIsCutOffBeforeItIsHeld() {
    ConnectionPool<EchoMessage, String> pool = startPool(vertx, "flood", "alice", settings(ANY_PORT, List.of()),
        bans("flood"), slowClaims());
    List<JsonObject> errors = collect(vertx, echo("flood").error());
    RawEchoPeer raw = raw(pool.listenAddress(), LOOPBACK);
    byte[] longest = raw.frame(new EchoMessage(Verb.SAY, "x".repeat(EchoMessage.MAX_ARGUMENT)));
    // Two maximal messages after the hello: more bytes than one message's worth are never kept for a peer that has
    // proven nothing.
    raw.write(concat(raw.frame(new EchoMessage(Verb.HELLO, "heidi")), concat(longest, longest)));
    assertTrue(raw.closedByNode());
    assertEquals("flood_during_handshake", awaitEvent(errors, about(raw)).getString("error"));
  }

  /** A directory that answers each claim 100 ms later, as a cluster's may. */
  private PeerDirectory slowClaims() {
    LocalPeerDirectory local = new LocalPeerDirectory();
    return (PeerDirectory) java.lang.reflect.Proxy.newProxyInstance(PeerDirectory.class.getClassLoader(),
        new Class<?>[] {PeerDirectory.class}, (proxy, method, args) -> method.getName().equals("claim")
            ? Future.<Boolean>future(promise -> vertx.setTimer(100, t -> promise.complete(true)))
            : method.invoke(local, args));
  }

  /** Two members of a clustered node, each with its cluster directory and an echo listener; their own events. */
  private void startMembers(List<ConnectionPool<EchoMessage, String>> members, List<List<JsonObject>> memberErrors,
                            List<List<JsonObject>> memberStates) {
    cluster = new TestCluster(dir, 2);
    String prefix = "echo-cluster";
    for (int i = 0; i < 2; i++) {
      ClusterOptions options = new ClusterOptions().setSyncInterval(1_000);
      Vertx member = cluster.join(options);
      ClusterPeerDirectory directory = new ClusterPeerDirectory(new BusAddresses(prefix), options, null);
      deployments.add(new Deployment(member, TestNodes.await(member.deployVerticle(directory))));
      // Local consumers: what this member itself publishes, where the cluster's bus would mix both members.
      memberErrors.add(collect(member, echo(prefix).error()));
      memberStates.add(collect(member, echo(prefix).stateChange()));
      members.add(startPool(member, prefix, "echo-node", settings(ANY_PORT, List.of()), bans("member" + i),
          directory));
    }
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  /** Test-sized settings: pings every 200 ms, redials from 200 ms, handshakes that outlast any test. */
  private static EchoOptions settings(PeerAddress listen, List<PeerAddress> connect) {
    return new EchoOptions()
        .setListen(listen)
        .setConnect(connect)
        .setMaxInbound(64)
        .setMaxPendingHandshakesPerIP(MAX_PENDING_PER_IP)
        .setHandshakeTimeout(60_000)
        .setPingInterval(200)
        .setPeerTimeout(30_000)
        .setReconnectInterval(200)
        .setPeerBanTime(3_600_000);
  }

  private ConnectionPool<EchoMessage, String> startPool(Vertx on, String prefix, String id, EchoOptions settings,
                                                       BanList bans, PeerDirectory directory) {
    return startPool(on, prefix, id, settings, bans, directory, PeerMetrics.NONE);
  }

  private ConnectionPool<EchoMessage, String> startPool(Vertx on, String prefix, String id, EchoOptions settings,
                                                       BanList bans, PeerDirectory directory, PeerMetrics metrics) {
    ConnectionPool<EchoMessage, String> pool = new ConnectionPool<>(new EchoProtocol(id), settings,
        new BusAddresses(prefix), bans, directory, MemoryBudget.shareOfHeap(25)).metrics(metrics);
    deployments.add(new Deployment(on, TestNodes.await(on.deployVerticle(pool))));
    return pool;
  }

  private static void undeploy(Deployment deployment) {
    TestNodes.await(deployment.vertx().undeploy(deployment.id()).recover(err -> Future.succeededFuture()));
  }

  private BanList bans(String name) {
    return BanList.load(dir.resolve(name + "-bans.json"), Clock.systemUTC());
  }

  private static ProtocolAddresses echo(String prefix) {
    return new BusAddresses(prefix).protocol(EchoProtocol.NAME);
  }

  /** Every body published on {@code address} by {@code on} itself. */
  private static List<JsonObject> collect(Vertx on, String address) {
    List<JsonObject> bodies = new CopyOnWriteArrayList<>();
    TestNodes.await(on.eventBus().<JsonObject>localConsumer(address, m -> bodies.add(m.body())).completion());
    return bodies;
  }

  /** A command's reply, or its failure. */
  private Future<JsonObject> ask(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).map(reply -> reply.body());
  }

  /** A command's reply; a failure fails the test. */
  private JsonObject call(String address, JsonObject body) {
    return TestNodes.await(ask(address, body));
  }

  private static int failureCode(Future<JsonObject> reply) {
    return assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(reply)).failureCode();
  }

  private static JsonObject onlyPeer(JsonObject peersReply) {
    assertEquals(1, peersReply.getJsonArray("peers").size(), peersReply.encode());
    return peersReply.getJsonArray("peers").getJsonObject(0);
  }

  /** The connected peers this pool itself holds. */
  private static List<JsonObject> connected(ConnectionPool<EchoMessage, String> pool) {
    return pool.localPeers().stream().filter(state("connected")).toList();
  }

  private RawEchoPeer raw(PeerAddress node, String localHost) {
    RawEchoPeer raw = new RawEchoPeer(node, localHost);
    rawPeers.add(raw);
    return raw;
  }

  private static void assertRefusedAsBanned(PeerAddress node, List<JsonObject> errors) {
    try (RawEchoPeer raw = new RawEchoPeer(node, "127.0.0.3")) {
      assertTrue(raw.closedByNode(), "a banned address is refused before its first byte");
      assertEquals("banned", awaitEvent(errors, about(raw)).getString("error"));
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static Predicate<JsonObject> about(RawEchoPeer raw) {
    String name = raw.name();
    return e -> name.equals(e.getString("peer"));
  }

  private static Predicate<JsonObject> state(String state) {
    return e -> state.equals(e.getString("state"));
  }

  private static Predicate<JsonObject> text(String text) {
    return e -> text.equals(e.getString("text"));
  }

  private static long count(List<JsonObject> events, Predicate<JsonObject> match) {
    return events.stream().filter(match).count();
  }
}
