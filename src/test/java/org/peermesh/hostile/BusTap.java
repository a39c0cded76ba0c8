package org.peermesh.hostile;

import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BridgeClient;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;


/**
 * The node's events as a service sees them through the TCP bridge: one bridge connection registered on the given
 * addresses, read by a thread of its own into a list, so that a test can wait for an event (with a deadline) and
 * count them afterwards. Commands go through {@link #request} on a second connection, which reads only replies.
 */
final class BusTap implements AutoCloseable {

  static final String PREFIX = "peermesh";
  /** The events every tap listens to: who came, who was refused, cut, evicted, penalised, and what was not sent. */
  static final List<String> PEER_EVENTS = List.of("newInboundPeer", "connectOutbound", "failedToAddInboundPeer",
      "closeInbound", "closeOutbound", "removePeer", "evictedPeer", "peerPenalized", "banPeer",
      "failedToSendMessage");

  private final BridgeClient events;
  private final BridgeClient commands;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean closed;

  private BusTap(int port, List<String> addresses) {
    events = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(2));
    addresses.forEach(events::register);
    events.sync();
    commands = BridgeClient.connect("127.0.0.1", port, Duration.ofSeconds(30));
    reader = new Thread(this::read, "bus-tap-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  static String event(String name) {
    return PREFIX + ".event." + name;
  }

  static String message(String event) {
    return PREFIX + ".message." + event;
  }

  /**
   * A tap on {@link #PEER_EVENTS}, the mesh's state changes, the messages of event {@code probe} and of the given
   * events (a name), or any other address (a full address, starting with the prefix).
   */
  static BusTap open(NodeProcess node, String... messageEvents) {
    List<String> addresses = new ArrayList<>();
    PEER_EVENTS.forEach(e -> addresses.add(event(e)));
    addresses.add(PREFIX + ".mesh.stateChange");
    addresses.add(message("probe"));
    for (String m : messageEvents) {
      addresses.add(m.startsWith(PREFIX + ".") ? m : message(m));
    }
    return new BusTap(node.bridgePort(), addresses);
  }

  private void read() {
    while (!closed) {
      try {
        frames.add(events.readFrame());
      } catch (AssertionError e) {
        if (closed || String.valueOf(e.getMessage()).contains("closed the connection")) {
          return;
        }
        // Only the socket's read timeout: nothing happened for a while.
      } catch (UncheckedIOException e) {
        return;
      }
    }
  }

  /** The bodies delivered to {@code address} so far, in order. */
  List<JsonObject> bodies(String address) {
    List<JsonObject> bodies = new ArrayList<>();
    for (JsonObject frame : frames) {
      if ("message".equals(frame.getString("type")) && address.equals(frame.getString("address"))) {
        bodies.add(frame.getJsonObject("body"));
      }
    }
    return bodies;
  }

  long count(String address, Predicate<JsonObject> body) {
    return bodies(address).stream().filter(body).count();
  }

  /** The first body on {@code address} that matches, waiting up to {@code deadline} for it. */
  JsonObject await(String address, Predicate<JsonObject> body, Duration deadline) {
    org.awaitility.Awaitility.await().atMost(deadline).until(() -> count(address, body) > 0);
    return bodies(address).stream().filter(body).findFirst().orElseThrow();
  }

  /** A command through the bridge: its reply frame, of type message or, for a failure, err. */
  synchronized JsonObject request(String address, JsonObject body) {
    String replyAddress = "reply-" + UUID.randomUUID();
    commands.send(address, body, replyAddress);
    return commands.readFrame(f -> replyAddress.equals(f.getString("address")), "replying to " + address);
  }

  /** A command through the bridge whose reply nobody waits for. */
  synchronized void send(String address, JsonObject body) {
    commands.send(address, body);
  }

  /** The node's memory budget, {@code {"limit", "taken"}}, as {@code peermesh.peers} with stats reports it. */
  JsonObject memoryBudget() {
    JsonObject reply = request(PREFIX + ".peers", new JsonObject().put("stats", true));
    if (!"message".equals(reply.getString("type"))) {
      throw new AssertionError("peers failed: " + reply);
    }
    return reply.getJsonObject("body").getJsonObject("memoryBudget");
  }

  /** The connected peers of every protocol, as {@code peermesh.peers} lists them. */
  List<JsonObject> connectedPeers() {
    JsonObject reply = request(PREFIX + ".peers", new JsonObject());
    if (!"message".equals(reply.getString("type"))) {
      throw new AssertionError("peers failed: " + reply);
    }
    List<JsonObject> peers = new ArrayList<>();
    reply.getJsonObject("body").getJsonArray("connected").forEach(p -> peers.add((JsonObject) p));
    return peers;
  }

  boolean isConnected(String peerId) {
    return connectedPeers().stream().anyMatch(p -> peerId.equals(p.getString("peerId")));
  }

  @Override
  public void close() {
    closed = true;
    events.close();
    commands.close();
  }
}
