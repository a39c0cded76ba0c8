package org.peermesh.testing.ethereumjs;

import io.vertx.core.json.JsonObject;
import org.peermesh.testing.JsonEvents;
import org.peermesh.testing.JsonLinesProcess;
import org.peermesh.testing.ScriptedPeer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real @ethereumjs/devp2p 10.0.0 DPT, a discv4 node, on 127.0.0.1 ({@code src/interop/ethereumjs/dpt-node.js}):
 * it answers Ping with a 3-item Pong and FindNode without endpoint proof, pings back a node that pinged it, and keeps
 * the nodes that answer in its table. Its events ({@link JsonEvents}) tell what entered and left the table.
 */
public final class DptNode extends ScriptedPeer {

  public static final String HOST = "127.0.0.1";
  /** Starting Node.js, loading ethereumjs and binding. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(30);
  /** A bootstrap: a Ping (ethereumjs waits 4 s for the Pong) and the answer. */
  public static final Duration COMMAND_DEADLINE = Duration.ofSeconds(15);

  private final JsonObject listening;

  private DptNode(JsonLinesProcess process, JsonObject listening) {
    super(process);
    this.listening = listening;
  }

  /** Installs ethereumjs if needed and starts a node with a fresh key on a free UDP port. */
  public static DptNode start() {
    return start(null);
  }

  /** Installs ethereumjs if needed and starts a node with {@code key} (64 hex digits; null: fresh). */
  public static DptNode start(String key) {
    List<String> arguments = new ArrayList<>(List.of("--host", HOST, "--port", "0"));
    if (key != null) {
      arguments.addAll(List.of("--key", key));
    }
    JsonLinesProcess process = JsonLinesProcess.start(EthereumjsPeer.ETHEREUMJS, "ethereumjs-dpt", "dpt-node.js",
        arguments);
    try {
      return new DptNode(process, process.events().await(JsonEvents.named("listening"), START_DEADLINE));
    } catch (AssertionError e) {
      throw process.startFailure("dpt-node.js did not bind within " + START_DEADLINE, e);
    }
  }

  public String host() {
    return HOST;
  }

  public int udpPort() {
    return listening.getInteger("udpPort");
  }

  /** Its node id: the 64-byte public key, 128 hex digits (discv4 hashes it with keccak256). */
  public String id() {
    return listening.getString("id");
  }

  /**
   * Pings the node at {@code host:udpPort}, adds it when it answers, and asks it for its neighbours; returns the id
   * of the node once that is done, or null when it did not answer the Ping.
   */
  public String bootstrap(String host, int udpPort) {
    int from = events().size();
    process.command(new JsonObject().put("bootstrap", new JsonObject().put("host", host).put("udpPort", udpPort)));
    return events().awaitAfter(from, JsonEvents.named("bootstrapped"), COMMAND_DEADLINE).getString("id");
  }

  public String bootstrap(DptNode other) {
    return bootstrap(other.host(), other.udpPort());
  }

  /** Its table now: {"id", "address", "udpPort", "tcpPort"} per node. */
  public List<JsonObject> peers() {
    int from = events().size();
    process.command(new JsonObject().put("peers", true));
    return events().awaitAfter(from, JsonEvents.named("peers"), COMMAND_DEADLINE).getJsonArray("peers").stream()
        .map(JsonObject.class::cast).toList();
  }

  /** The ids in its table now. */
  public List<String> peerIds() {
    return peers().stream().map(peer -> peer.getString("id")).toList();
  }
}
