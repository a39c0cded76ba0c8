package org.peermesh.testing.antelope;

import io.vertx.core.json.JsonObject;
import org.peermesh.testing.JsonEvents;
import org.peermesh.testing.JsonLinesProcess;
import org.peermesh.testing.ScriptedPeer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A nodeos stand-in on 127.0.0.1 ({@code src/interop/wharfkit/nodeos-standin.js}): no nodeos can be installed here, so
 * this Node.js server, encoding and decoding with @wharfkit/antelope 1.2.0, plays a nodeos net_plugin with a synthetic
 * linked chain. It checks a peer's handshake as nodeos does (go_away in nodeos' 4-byte form), answers with its own
 * signed handshake and a ping, answers pings, streams the blocks a sync_request asks for, and sends the blocks {@link
 * #produce} appends to its peers. Its events ({@link JsonEvents}, matched with {@link WharfkitEvents}) tell what it
 * received and sent.
 */
public final class NodeosStandin extends ScriptedPeer {

  public static final String HOST = "127.0.0.1";
  /** Starting Node.js, loading wharfkit, building the chain and listening. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(60);

  private final JsonObject listening;

  private NodeosStandin(JsonLinesProcess process, JsonObject listening) {
    super(process);
    this.listening = listening;
  }

  /** Installs wharfkit if needed and starts a stand-in with {@code blocks} blocks of chain {@code chainId}. */
  public static NodeosStandin start(String chainId, int blocks) {
    List<String> arguments = List.of("--chain-id", chainId, "--blocks", String.valueOf(blocks));
    JsonLinesProcess process = JsonLinesProcess.start(WharfkitClient.WHARFKIT, "nodeos-standin", "nodeos-standin.js",
        arguments);
    try {
      // The chain event comes first, so chain() is complete once the server listens.
      return new NodeosStandin(process, process.events().await(WharfkitEvents.named("listening"), START_DEADLINE));
    } catch (AssertionError e) {
      throw process.startFailure("nodeos-standin.js did not listen within " + START_DEADLINE, e);
    }
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return listening.getInteger("port");
  }

  /** The key that signs its handshakes, PUB_K1_... */
  public String publicKey() {
    return listening.getString("key");
  }

  /** Its node_id, 64 hex digits. */
  public String nodeId() {
    return listening.getString("nodeId");
  }

  /** The ids of its blocks as wharfkit computes them, block 1 first: those it started with and those produced. */
  public List<String> chain() {
    List<String> ids = new ArrayList<>();
    events().matching(WharfkitEvents.named("chain")).get(0).getJsonArray("blocks")
        .forEach(block -> ids.add(((JsonObject) block).getString("id")));
    events().matching(WharfkitEvents.named("produced")).forEach(block -> ids.add(block.getString("id")));
    return ids;
  }

  /** The id of block {@code num} (from 1). */
  public String blockId(int num) {
    return chain().get(num - 1);
  }

  public int headNum() {
    return chain().size();
  }

  /** Appends {@code count} linked blocks, sends each to the peers whose handshake it accepted, and returns their ids. */
  public List<String> produce(int count) {
    int head = headNum();
    process.command(new JsonObject().put("produce", count));
    events().await(WharfkitEvents.named("produced").and(event -> event.getInteger("num") == head + count),
        START_DEADLINE);
    return chain().subList(head, head + count);
  }

  /**
   * The stand-in's number for the connection of the peer whose handshake carries {@code peerNodeId}, once that
   * handshake has arrived.
   */
  public int awaitConnection(String peerNodeId, Duration timeout) {
    return awaitEvent(WharfkitEvents.message("handshake_message")
        .and(event -> peerNodeId.equals(event.getJsonObject("json").getString("nodeId"))), timeout)
        .getInteger("connection");
  }

  /** Ends every connection it has. */
  public void closeConnections() {
    process.command(new JsonObject().put("close", true));
  }
}
