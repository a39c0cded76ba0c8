package org.peermesh.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.TestNodes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A client of the mesh view's bridge over SockJS's raw WebSocket transport ({@code /eventbus/websocket}), as a
 * browser's page is one over SockJS: each frame one bridge message as JSON. Keeps every frame it gets.
 */
final class ViewBridgeClient implements AutoCloseable {

  /** A browser's client pings every 5 s; the bridge closes a client that has not for 10 s. */
  private static final long PING_INTERVAL_MS = 2_000;

  private final Vertx vertx;
  /** Kept: Vert.x closes a client, and its sockets, once nothing refers to it. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final long pinger;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private ViewBridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    this.pinger = vertx.setPeriodic(PING_INTERVAL_MS, t -> {
      if (!closed) {
        socket.writeTextMessage(new JsonObject().put("type", "ping").encode());
      }
    });
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    // SockJS's raw transport writes what the bridge sends as binary frames.
    socket.binaryMessageHandler(bytes -> frames.add(new JsonObject(bytes)));
    socket.closeHandler(v -> {
      closed = true;
      vertx.cancelTimer(pinger);
    });
  }

  /** Connects as a page of {@code origin} would (null: as a client that is not a browser, with no origin). */
  static ViewBridgeClient connect(Vertx vertx, PeerAddress http, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(http.host()).setPort(http.port())
        .setURI("/" + ViewBridge.NAME + "/websocket");
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    // The handlers are set on the socket's event loop as it connects: a socket the node closes at once is seen closed.
    WebSocketClient client = vertx.createWebSocketClient();
    return TestNodes.await(client.connect(options).map(socket -> new ViewBridgeClient(vertx, client, socket))
        .onFailure(refused -> client.close()));
  }

  /**
   * Whether the node refuses a client of {@code origin}: it closes the socket, at once or before its handshake is
   * done, and the client gets nothing, though it registers on {@code address} (a client admitted would get the
   * snapshots there within the interval, long before the bridge's ping timeout closes it).
   */
  static boolean refused(Vertx vertx, PeerAddress http, String origin, String address) {
    ViewBridgeClient client;
    try {
      client = connect(vertx, http, origin);
    } catch (AssertionError closedDuringTheHandshake) {
      return true;
    }
    try {
      client.register(address);
    } catch (AssertionError closedAlready) {
      // Refused before it could register: what follows sees it closed.
    }
    Awaitility.await().atMost(TestNodes.DEADLINE).until(() -> client.isClosed() || !client.frames.isEmpty());
    client.close();
    return client.frames.isEmpty();
  }

  /** The origin of the node's own page. */
  static String originOf(PeerAddress http) {
    return "http://" + http;
  }

  void register(String address) {
    write(new JsonObject().put("type", "register").put("address", address));
  }

  void write(JsonObject message) {
    TestNodes.await(socket.writeTextMessage(message.encode()));
  }

  /** The first frame from now on that matches, once there is one; an assertion error after the deadline. */
  JsonObject next(Predicate<JsonObject> matches) {
    int from = frames.size();
    return awaitFrom(from, matches);
  }

  /** The first frame from index {@code from} on that matches. */
  JsonObject awaitFrom(int from, Predicate<JsonObject> matches) {
    Awaitility.await().atMost(TestNodes.DEADLINE).until(() -> frames.subList(from, frames.size()).stream()
        .anyMatch(matches));
    return frames.subList(from, frames.size()).stream().filter(matches).findFirst().orElseThrow();
  }

  /** The body of the next message delivered on {@code address} that matches. */
  JsonObject nextOn(String address, Predicate<JsonObject> matches) {
    return onFrom(frames.size(), address, matches);
  }

  /**
   * The body of the first message on {@code address} from frame {@code from} on that matches: for what may arrive
   * while the test is still doing what causes it.
   */
  JsonObject onFrom(int from, String address, Predicate<JsonObject> matches) {
    return awaitFrom(from, frame -> "rec".equals(frame.getString("type")) && address.equals(frame.getString("address"))
        && matches.test(frame.getJsonObject("body"))).getJsonObject("body");
  }

  /** Whether a message on {@code address} was delivered to this client. */
  boolean delivered(String address) {
    return frames.stream().anyMatch(frame -> "rec".equals(frame.getString("type"))
        && address.equals(frame.getString("address")));
  }

  List<JsonObject> frames() {
    return List.copyOf(frames);
  }

  int size() {
    return frames.size();
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    client.close();
  }
}
