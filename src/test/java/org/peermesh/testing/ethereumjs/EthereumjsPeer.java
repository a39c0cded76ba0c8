package org.peermesh.testing.ethereumjs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.testing.JsonEvents;
import org.peermesh.testing.JsonLinesProcess;
import org.peermesh.testing.ScriptedPeer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real @ethereumjs/devp2p 10.0.0 RLPx node on 127.0.0.1 ({@code src/interop/ethereumjs/rlpx-peer.js}): no geth can
 * be installed here, so ethereumjs' RLPx server (EIP-8 handshake, frames, Hello, snappy after a v5 Hello, Ping/Pong,
 * Disconnect) is the devp2p peer of the interop tests. Its sub-protocols come from {@link Options#capabilities}:
 * {@code MyProtocol/1} answers code 0 ["foo"] with ["bar"], {@code eth/62..68} is ethereumjs' ETH (which answers the
 * peer's Status with one of the peer's td and bestHash on its own chain, and checks it), {@code test/1} and any
 * {@code name/version:length} only report. Its events ({@link JsonEvents}) tell what it received and sent; the
 * payloads in them and in {@link #send} are RLP as nested JSON arrays of hex strings.
 */
public final class EthereumjsPeer extends ScriptedPeer {

  public static final String HOST = "127.0.0.1";
  /** Starting Node.js, loading ethereumjs and listening. */
  public static final Duration START_DEADLINE = Duration.ofSeconds(30);
  /** The npm part of {@code src/interop} the ethereumjs scripts are in. */
  static final String ETHEREUMJS = "ethereumjs";

  private final JsonObject listening;

  private EthereumjsPeer(JsonLinesProcess process, JsonObject listening) {
    super(process);
    this.listening = listening;
  }

  /** Installs ethereumjs if needed, starts a node that listens on a free port, and returns once it listens. */
  public static EthereumjsPeer start(Options options) {
    List<String> arguments = new ArrayList<>(List.of("--host", HOST, "--port", "0",
        "--capabilities", String.join(",", options.capabilities()),
        "--max-peers", String.valueOf(options.maxPeers()), "--client-id", options.clientId()));
    if (options.key() != null) {
      arguments.addAll(List.of("--key", options.key()));
    }
    if (options.sendStatus()) {
      arguments.add("--eth-send-status");
    }
    arguments.addAll(options.extraArguments());
    JsonLinesProcess process = JsonLinesProcess.start(ETHEREUMJS, "ethereumjs-rlpx:" + options.clientId(),
        "rlpx-peer.js", arguments);
    try {
      return new EthereumjsPeer(process, process.events().await(JsonEvents.named("listening"), START_DEADLINE));
    } catch (AssertionError e) {
      throw process.startFailure("rlpx-peer.js did not listen within " + START_DEADLINE, e);
    }
  }

  /** Matches the events about one peer: their "peer" field (message, status, ping...) or "id" (peer_added...). */
  public static Predicate<JsonObject> about(String peerId) {
    return event -> peerId.equals(event.getString("peer")) || peerId.equals(event.getString("id"));
  }

  /** Matches the message events of one capability ("MyProtocol/1") and code (relative to its offset). */
  public static Predicate<JsonObject> message(String capability, int code) {
    return JsonEvents.named("message").and(event -> capability.equals(event.getString("capability"))
        && event.getInteger("code") == code);
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return listening.getInteger("port");
  }

  /** Its node id: the 64-byte public key, 128 hex digits. */
  public String id() {
    return listening.getString("id");
  }

  /** Dials a peer (the handshake follows; peer_added tells when it is done). */
  public void connect(String peerId, String host, int port) {
    command("connect", new JsonObject().put("id", peerId).put("host", host).put("port", port));
  }

  public void connect(EthereumjsPeer other) {
    connect(other.id(), other.host(), other.port());
  }

  /**
   * Sends a sub-protocol message: {@code payload} is RLP as nested JSON (a hex string, or a {@link JsonArray} of
   * them), snappy-compressed when the peer's Hello is v5 or later; {@code code} is relative to the capability.
   */
  public void send(String peerId, String capability, int code, Object payload) {
    command("send", new JsonObject().put("peer", peerId).put("capability", capability).put("code", code)
        .put("payload", payload));
  }

  /** Sends these bytes (hex) as a sub-protocol message's payload, exactly: no RLP, no snappy. */
  public void sendRaw(String peerId, String capability, int code, String hex) {
    command("send", new JsonObject().put("peer", peerId).put("capability", capability).put("code", code)
        .put("raw", hex));
  }

  /** Sends its eth Status now (td and bestHash from its options). */
  public void sendStatus(String peerId) {
    command("status", new JsonObject().put("peer", peerId));
  }

  /** Sends a Ping; a pong event follows when the Pong arrives. */
  public void ping(String peerId) {
    command("ping", peerId);
  }

  /** Sends Disconnect with {@code reason} (0x04 too many peers...) and closes the connection 2 s later. */
  public void disconnect(String peerId, int reason) {
    command("disconnect", new JsonObject().put("peer", peerId).put("reason", reason));
  }

  /** ethereumjs' destroy(): stops listening and sends every peer Disconnect 0x08 (client quitting). */
  public void closeServer() {
    command("close", true);
  }

  private void command(String name, Object value) {
    process.command(new JsonObject().put(name, value));
  }

  /**
   * How the node is set up.
   *
   * @param key            its node key, 64 hex digits, or null for a fresh one
   * @param capabilities   {@code name/version[:length]}: MyProtocol/1, eth/68, test/1...
   * @param maxPeers       RLPx's maxPeers: one dialing in beyond it gets Hello, then Disconnect 0x04
   * @param clientId       its Hello's clientId
   * @param sendStatus     whether it sends its eth Status as soon as a peer is added, rather than answering the
   *                       peer's (two ethereumjs nodes need one that starts)
   * @param extraArguments more options of rlpx-peer.js: --network-id, --genesis-hash, --td, --timeout-ms,
   *                       --digest-over (large payloads reported by size and sha256 only)...
   */
  public record Options(String key, List<String> capabilities, int maxPeers, String clientId, boolean sendStatus,
                        List<String> extraArguments) {

    public static final List<String> ALL_CAPABILITIES = List.of("MyProtocol/1", "eth/68", "test/1");

    /** A fresh key, MyProtocol/1 + eth/68 + test/1, 10 peers at most, answering Status. */
    public static Options defaults(String clientId) {
      return new Options(null, ALL_CAPABILITIES, 10, clientId, false, List.of());
    }

    public Options withKey(String hex) {
      return new Options(hex, capabilities, maxPeers, clientId, sendStatus, extraArguments);
    }

    public Options withCapabilities(List<String> chosen) {
      return new Options(key, List.copyOf(chosen), maxPeers, clientId, sendStatus, extraArguments);
    }

    public Options withMaxPeers(int max) {
      return new Options(key, capabilities, max, clientId, sendStatus, extraArguments);
    }

    public Options sendingStatus() {
      return new Options(key, capabilities, maxPeers, clientId, true, extraArguments);
    }

    public Options withArguments(List<String> more) {
      return new Options(key, capabilities, maxPeers, clientId, sendStatus, List.copyOf(more));
    }
  }
}
